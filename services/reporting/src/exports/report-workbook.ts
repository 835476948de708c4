import { Workbook } from 'exceljs';
import {
  DATE_FORMAT,
  formatCells,
  freeze,
  headerRow,
  INTEGER_FORMAT,
  PERCENT_FORMAT,
  titleRow,
  workbookBuffer,
  YEAR_FORMAT,
} from './workbook-style';

/** A submitted report as it is exported: what was asked, by whom, when, and what was answered. */
export interface ReportExport {
  /** The report request's kind (code) and its Vietnamese name. */
  kind: string;
  kindName: string;
  year: number;
  /** The unit that asked for the report. */
  requestingUnitName: string;
  /** The unit that reports, and the person who submitted for it. */
  reportingUnitName: string;
  reporterName: string;
  /** YYYY-MM-DD */
  dueDate: string;
  status: string;
  statusName: string;
  /** Submitted on time or late (code and name). */
  timeliness: string;
  timelinessName: string;
  submittedAt: Date;
  figures: { indicator: string; name: string; numerator: number; denominator: number; rate: number | null; target: number | null }[];
  sections: { code: string; title: string; text: string }[];
}

export const REPORT_SHEET = 'Báo cáo';
/** Width of the merged narrative cells, in characters (the five columns of the figures table). */
const NARRATIVE_WIDTH = 70 + 4 * 14;
/**
 * A row is at most 409 points high (about 27 lines): a longer paragraph goes on in the next row,
 * cut at a space.
 */
const MAX_ROW_TEXT = 25 * NARRATIVE_WIDTH;
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

/** Rows a wrapped paragraph takes in a cell `width` characters wide (Excel does not size merged rows itself). */
const lineCount = (text: string, width: number) => Math.max(1, Math.ceil(text.length / width));

/** A paragraph cut into pieces of at most MAX_ROW_TEXT characters, at spaces where it has them. */
function rowTexts(paragraph: string): string[] {
  const out: string[] = [];
  let rest = paragraph;
  while (rest.length > MAX_ROW_TEXT) {
    const space = rest.lastIndexOf(' ', MAX_ROW_TEXT);
    const cut = space > MAX_ROW_TEXT / 2 ? space : MAX_ROW_TEXT;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

/**
 * A submitted report as an .xlsx workbook: a header block (kind, year, units, reporter, due date,
 * status, timeliness, time of submission), the figures with the progress export's formats, and the
 * narrative sections as wrapped text, one paragraph a row.
 */
export async function reportWorkbook(report: ReportExport): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'XHHT';
  const sheet = workbook.addWorksheet(REPORT_SHEET);
  sheet.columns = [{ width: 70 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 14 }];

  titleRow(sheet, `${report.kindName} năm ${report.year} — ${report.reportingUnitName}`);
  const field = (label: string, value: string | number | Date, code?: string) => {
    const row = sheet.addRow([label, value, code ?? null]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { horizontal: 'left' };
    if (code !== undefined) row.getCell(3).font = { color: { argb: 'FF808080' } };
    return row;
  };
  field('Loại báo cáo', report.kindName, report.kind);
  formatCells(field('Năm báo cáo', report.year), { 2: YEAR_FORMAT });
  field('Đơn vị yêu cầu', report.requestingUnitName);
  field('Đơn vị báo cáo', report.reportingUnitName);
  field('Người báo cáo', report.reporterName);
  formatCells(field('Hạn nộp', new Date(`${report.dueDate}T00:00:00Z`)), { 2: DATE_FORMAT });
  field('Trạng thái', report.statusName, report.status);
  field('Thời hạn', report.timelinessName, report.timeliness);
  // spreadsheet times have no zone: written as the Vietnamese clock reads
  formatCells(field('Thời điểm nộp', new Date(report.submittedAt.getTime() + VIETNAM_OFFSET_MS)), { 2: 'dd/mm/yyyy hh:mm' });
  sheet.addRow([]);

  titleRow(sheet, 'Số liệu', 12);
  headerRow(sheet, ['Chỉ tiêu', 'Số đạt', 'Tổng số', 'Tỷ lệ (%)', 'Chỉ tiêu kế hoạch (%)']);
  for (const f of report.figures) {
    const row = sheet.addRow([f.name, f.numerator, f.denominator, f.rate ?? null, f.target ?? null]);
    formatCells(row, { 2: INTEGER_FORMAT, 3: INTEGER_FORMAT, 4: PERCENT_FORMAT, 5: PERCENT_FORMAT });
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  }
  sheet.addRow([]);

  titleRow(sheet, 'Nội dung báo cáo', 12);
  for (const section of report.sections) {
    sheet.addRow([section.title]).font = { bold: true };
    for (const paragraph of section.text.split(/\r?\n/).flatMap(rowTexts)) {
      const row = sheet.addRow([paragraph]);
      sheet.mergeCells(row.number, 1, row.number, 5);
      row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
      row.height = 15 * lineCount(paragraph, NARRATIVE_WIDTH);
    }
  }
  freeze(sheet, 1);
  return workbookBuffer(workbook);
}
