import { Workbook, type Worksheet } from 'exceljs';
import { OCCUPATIONAL_GROUPS } from '@xhht/infra';
import { INDICATORS, INDICATOR_NAMES, type Indicator } from '../plans/indicators';
import type { UnitProgress } from '../progress/progress';
import { progressWorkbook, type ProgressExport } from './progress-workbook';

/** A unit's progress where each indicator has the given figures (numerator, denominator) and the family rate a 2025 target of 70. */
function progress(unitId: string, figures: Partial<Record<Indicator, [number, number]>>): UnitProgress {
  return {
    unitId,
    year: 2025,
    asOf: '2025-12-31',
    indicators: INDICATORS.map((indicator) => {
      const [numerator, denominator] = figures[indicator] ?? [0, 0];
      const rate = denominator === 0 ? null : Math.round((numerator * 10000) / denominator) / 100;
      const target = indicator === 'LEARNING_FAMILY_RATE' ? 70 : null;
      const status = target === null ? 'NO_TARGET' : rate === null ? 'NO_DATA' : rate >= target ? 'ACHIEVED' : 'BEHIND';
      return {
        indicator,
        year: 2025,
        numerator,
        denominator,
        rate,
        target,
        targetYear: target === null ? null : 2025,
        expected: target,
        targetSource: null,
        status,
        series: [
          { year: 2023, numerator: 0, denominator, rate: denominator === 0 ? null : 0, target: null, status: 'NO_TARGET' },
          { year: 2024, numerator: 0, denominator: 0, rate: null, target: null, status: 'NO_TARGET' },
          { year: 2025, numerator, denominator, rate, target, status },
        ],
      };
    }),
    occupationalGroups: OCCUPATIONAL_GROUPS.map((g, i) => ({
      occupationalGroup: g,
      numerator: i,
      denominator: 10 * i,
      rate: i === 0 ? null : 10,
    })),
    communeCommunity: {
      communes: 2,
      recognised: 1,
      rate: 50,
      levels: [
        { level: 'ACHIEVED', communes: 1 },
        { level: 'LEVEL_1', communes: 0 },
        { level: 'LEVEL_2', communes: 0 },
      ],
    },
  };
}

const data: ProgressExport = {
  unit: { id: 'p', code: '20', name: 'Tỉnh Lạng Sơn' },
  year: 2025,
  asOf: '2025-12-31',
  progress: progress('p', { LEARNING_FAMILY_RATE: [2, 3], LEARNING_CLAN_RATE: [1234, 5000] }),
  children: [
    { unit: { id: 'a', code: '06001', name: 'Phường Đông Kinh' }, progress: progress('a', { LEARNING_FAMILY_RATE: [2, 2] }) },
    { unit: { id: 'b', code: '06002', name: 'Xã Hữu Lũng' }, progress: progress('b', { LEARNING_FAMILY_RATE: [0, 1] }) },
  ],
};

async function read(buffer: Buffer): Promise<Workbook> {
  const workbook = new Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}
const values = (sheet: Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);

describe('progress workbook', () => {
  let workbook: Workbook;
  beforeAll(async () => {
    workbook = await read(await progressWorkbook(data));
  });

  it('has the four sheets, headers bold and frozen', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Tiến độ', 'Theo đơn vị', 'Diễn biến', 'Nhóm đối tượng']);
    const summary = workbook.getWorksheet('Tiến độ')!;
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(summary.getRow(4).getCell(1).font?.bold).toBe(true);
    expect(summary.getColumn(1).width).toBe(70);
    expect(workbook.getWorksheet('Theo đơn vị')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 3, xSplit: 2 });
  });

  it('lists every indicator with its figures, target and status, percentages and integers formatted', () => {
    const summary = workbook.getWorksheet('Tiến độ')!;
    expect(summary.getCell('A1').value).toBe('Tiến độ xây dựng xã hội học tập — Tỉnh Lạng Sơn — năm 2025');
    expect(summary.getCell('A2').value).toBe('Số liệu đến ngày 31/12/2025');
    expect(values(summary, 4)).toEqual(['Chỉ tiêu', 'Số đạt', 'Tổng số', 'Tỷ lệ (%)', 'Chỉ tiêu kế hoạch (%)', 'Năm chỉ tiêu', 'Đánh giá']);
    expect(values(summary, 5)).toEqual([INDICATOR_NAMES.LEARNING_FAMILY_RATE, 2, 3, 66.67, 70, 2025, 'Chậm tiến độ']);
    expect(values(summary, 6)).toEqual([INDICATOR_NAMES.LEARNING_CLAN_RATE, 1234, 5000, 24.68, undefined, undefined, 'Chưa giao chỉ tiêu']);
    expect(summary.rowCount).toBe(4 + INDICATORS.length);
    const row = summary.getRow(6);
    expect([2, 3, 4, 5, 6].map((c) => row.getCell(c).numFmt)).toEqual(['#,##0', '#,##0', '0.00', '0.00', '0']);
  });

  it('gives each child unit a row and the unit itself the total row', () => {
    const byUnit = workbook.getWorksheet('Theo đơn vị')!;
    expect(byUnit.getCell('C2').value).toBe(INDICATOR_NAMES.LEARNING_FAMILY_RATE);
    expect(byUnit.getCell('F2').value).toBe(INDICATOR_NAMES.LEARNING_CLAN_RATE);
    expect(values(byUnit, 3).slice(2, 5)).toEqual(['Số đạt', 'Tổng số', 'Tỷ lệ (%)']);
    expect(values(byUnit, 4).slice(0, 5)).toEqual(['06001', 'Phường Đông Kinh', 2, 2, 100]);
    expect(values(byUnit, 5).slice(0, 5)).toEqual(['06002', 'Xã Hữu Lũng', 0, 1, 0]);
    // the total is the unit's own figures, not a sum or an average of the rows above
    expect(values(byUnit, 6).slice(0, 8)).toEqual(['20', 'Tổng cộng: Tỉnh Lạng Sơn', 2, 3, 66.67, 1234, 5000, 24.68]);
    expect(byUnit.getRow(6).font?.bold).toBe(true);
    expect(byUnit.getRow(6).getCell(7).numFmt).toBe('#,##0');
    expect(byUnit.getRow(6).getCell(8).numFmt).toBe('0.00');
    // no rate when there is nothing to count
    expect(byUnit.getRow(4).getCell(8).value).toBeNull();
  });

  it('gives the series per indicator over the years', () => {
    const series = workbook.getWorksheet('Diễn biến')!;
    expect(values(series, 2)).toEqual(['Chỉ tiêu', 'Năm', 'Số đạt', 'Tổng số', 'Tỷ lệ (%)', 'Chỉ tiêu kế hoạch (%)', 'Đánh giá']);
    expect(values(series, 3)).toEqual([INDICATOR_NAMES.LEARNING_FAMILY_RATE, 2023, 0, 3, 0, undefined, 'Chưa giao chỉ tiêu']);
    expect(values(series, 5)).toEqual([INDICATOR_NAMES.LEARNING_FAMILY_RATE, 2025, 2, 3, 66.67, 70, 'Chậm tiến độ']);
    expect(series.rowCount).toBe(2 + 3 * INDICATORS.length);
  });

  it('gives Learning Citizens per occupational group and the communes by Learning Community level', () => {
    const groups = workbook.getWorksheet('Nhóm đối tượng')!;
    expect(values(groups, 2)).toEqual(['Nhóm đối tượng', 'Số đạt', 'Tổng số', 'Tỷ lệ (%)']);
    expect(values(groups, 3)).toEqual(['Nông dân', 0, 0]);
    expect(values(groups, 4)).toEqual(['Công nhân', 1, 10, 10]);
    expect(groups.getRow(4).getCell(4).numFmt).toBe('0.00');
    const rows = Array.from({ length: groups.rowCount }, (_, i) => values(groups, i + 1));
    expect(rows.slice(-5)).toEqual([
      ['Tổng số xã, phường', 2],
      ['Số xã, phường đạt danh hiệu', 1, 50],
      ['Trong đó: Đạt', 1],
      ['Trong đó: Mức 1 (Khá)', 0],
      ['Trong đó: Mức 2 (Tốt)', 0],
    ]);
  });
});
