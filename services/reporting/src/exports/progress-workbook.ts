import { Workbook } from 'exceljs';
import { OCCUPATIONAL_GROUP_NAMES, RESULT_LEVEL_NAMES } from '@xhht/infra';
import { INDICATOR_NAMES } from '../plans/indicators';
import type { UnitProgress } from '../progress/progress';
import { PROGRESS_STATUS_NAMES } from '../progress/progress-status';
import {
  formatCells,
  freeze,
  headerRow,
  INTEGER_FORMAT,
  PERCENT_FORMAT,
  styleHeaderCell,
  titleRow,
  vietnameseDate,
  workbookBuffer,
  YEAR_FORMAT,
} from './workbook-style';

export interface ExportUnit {
  id: string;
  code: string;
  name: string;
}

/** What a progress export shows: the unit's progress, and its child units' each. */
export interface ProgressExport {
  unit: ExportUnit;
  year: number;
  asOf: string;
  progress: UnitProgress;
  children: { unit: ExportUnit; progress: UnitProgress }[];
}

export const PROGRESS_SHEETS = { summary: 'Tiến độ', byUnit: 'Theo đơn vị', series: 'Diễn biến', groups: 'Nhóm đối tượng' } as const;

/** The figure, or an empty cell when there is nothing to count (a rate of 0 would be wrong). */
const orEmpty = (n: number | null) => n ?? null;

/**
 * The progress table of a unit as an .xlsx workbook: per indicator its figures, target and status;
 * each child unit's figures with the unit's own as the total row; the series over the years; the
 * Learning Citizens per occupational group and the communes' Learning Community levels.
 */
export async function progressWorkbook(data: ProgressExport): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'XHHT';
  const dateLine = `Số liệu đến ngày ${vietnameseDate(data.asOf)}`;

  // ---- Tiến độ: one row per indicator
  const summary = workbook.addWorksheet(PROGRESS_SHEETS.summary);
  titleRow(summary, `Tiến độ xây dựng xã hội học tập — ${data.unit.name} — năm ${data.year}`);
  summary.addRow([dateLine]).font = { italic: true };
  summary.addRow([]);
  headerRow(summary, ['Chỉ tiêu', 'Số đạt', 'Tổng số', 'Tỷ lệ (%)', 'Chỉ tiêu kế hoạch (%)', 'Năm chỉ tiêu', 'Đánh giá']);
  for (const p of data.progress.indicators) {
    const row = summary.addRow([
      INDICATOR_NAMES[p.indicator],
      p.numerator,
      p.denominator,
      orEmpty(p.rate),
      orEmpty(p.target),
      orEmpty(p.targetYear),
      PROGRESS_STATUS_NAMES[p.status],
    ]);
    formatCells(row, { 2: INTEGER_FORMAT, 3: INTEGER_FORMAT, 4: PERCENT_FORMAT, 5: PERCENT_FORMAT, 6: YEAR_FORMAT });
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  }
  summary.columns = [{ width: 70 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 16 }, { width: 12 }, { width: 22 }];
  freeze(summary, 4);

  // ---- Theo đơn vị: the child units, then the unit itself as the total
  const byUnit = workbook.addWorksheet(PROGRESS_SHEETS.byUnit);
  titleRow(byUnit, `${data.unit.name} — năm ${data.year} — ${dateLine.toLowerCase()}`);
  const indicators = data.progress.indicators.map((p) => p.indicator);
  const groupHeader = headerRow(byUnit, ['Mã đơn vị', 'Đơn vị', ...indicators.flatMap((i) => [INDICATOR_NAMES[i], null, null])]);
  groupHeader.height = 75;
  headerRow(byUnit, [null, null, ...indicators.flatMap(() => ['Số đạt', 'Tổng số', 'Tỷ lệ (%)'])]);
  byUnit.mergeCells(2, 1, 3, 1);
  byUnit.mergeCells(2, 2, 3, 2);
  indicators.forEach((_, i) => byUnit.mergeCells(2, 3 + 3 * i, 2, 5 + 3 * i));
  // merged cells keep the first cell's style only: the rest of the header keeps its look
  for (const r of [2, 3]) for (let c = 1; c <= 2 + 3 * indicators.length; c++) styleHeaderCell(byUnit.getCell(r, c));
  const unitRow = (unit: ExportUnit, label: string, progress: UnitProgress) => {
    const row = byUnit.addRow([unit.code, label, ...progress.indicators.flatMap((p) => [p.numerator, p.denominator, orEmpty(p.rate)])]);
    indicators.forEach((_, i) =>
      formatCells(row, { [3 + 3 * i]: INTEGER_FORMAT, [4 + 3 * i]: INTEGER_FORMAT, [5 + 3 * i]: PERCENT_FORMAT }),
    );
    return row;
  };
  for (const child of data.children) unitRow(child.unit, child.unit.name, child.progress);
  unitRow(data.unit, `Tổng cộng: ${data.unit.name}`, data.progress).font = { bold: true };
  byUnit.columns = [{ width: 12 }, { width: 36 }, ...indicators.flatMap(() => [{ width: 11 }, { width: 11 }, { width: 11 }])];
  freeze(byUnit, 3, 2);

  // ---- Diễn biến: each indicator over the movement's years
  const series = workbook.addWorksheet(PROGRESS_SHEETS.series);
  titleRow(series, `Diễn biến các chỉ tiêu — ${data.unit.name} — ${dateLine.toLowerCase()}`);
  headerRow(series, ['Chỉ tiêu', 'Năm', 'Số đạt', 'Tổng số', 'Tỷ lệ (%)', 'Chỉ tiêu kế hoạch (%)', 'Đánh giá']);
  for (const p of data.progress.indicators) {
    for (const point of p.series) {
      const row = series.addRow([
        INDICATOR_NAMES[p.indicator],
        point.year,
        point.numerator,
        point.denominator,
        orEmpty(point.rate),
        orEmpty(point.target),
        PROGRESS_STATUS_NAMES[point.status],
      ]);
      formatCells(row, { 2: YEAR_FORMAT, 3: INTEGER_FORMAT, 4: INTEGER_FORMAT, 5: PERCENT_FORMAT, 6: PERCENT_FORMAT });
    }
  }
  series.columns = [{ width: 70 }, { width: 8 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 16 }, { width: 22 }];
  freeze(series, 2);

  // ---- Nhóm đối tượng: Learning Citizens per occupational group; communes' Learning Community levels
  const groups = workbook.addWorksheet(PROGRESS_SHEETS.groups);
  titleRow(groups, `Công dân học tập theo nhóm đối tượng (người lớn) — ${data.unit.name} — năm ${data.year}`);
  headerRow(groups, ['Nhóm đối tượng', 'Số đạt', 'Tổng số', 'Tỷ lệ (%)']);
  for (const g of data.progress.occupationalGroups) {
    const row = groups.addRow([OCCUPATIONAL_GROUP_NAMES[g.occupationalGroup], g.numerator, g.denominator, orEmpty(g.rate)]);
    formatCells(row, { 2: INTEGER_FORMAT, 3: INTEGER_FORMAT, 4: PERCENT_FORMAT });
  }
  groups.addRow([]);
  const community = data.progress.communeCommunity;
  titleRow(groups, 'Xã, phường đạt danh hiệu Cộng đồng học tập cấp xã', 12);
  headerRow(groups, ['Nội dung', 'Số xã', 'Tỷ lệ (%)']);
  formatCells(groups.addRow(['Tổng số xã, phường', community.communes]), { 2: INTEGER_FORMAT });
  formatCells(groups.addRow(['Số xã, phường đạt danh hiệu', community.recognised, orEmpty(community.rate)]), {
    2: INTEGER_FORMAT,
    3: PERCENT_FORMAT,
  });
  for (const l of community.levels) {
    formatCells(groups.addRow([`Trong đó: ${RESULT_LEVEL_NAMES[l.level]}`, l.communes]), { 2: INTEGER_FORMAT });
  }
  groups.columns = [{ width: 40 }, { width: 12 }, { width: 12 }, { width: 12 }];
  freeze(groups, 2);

  return workbookBuffer(workbook);
}
