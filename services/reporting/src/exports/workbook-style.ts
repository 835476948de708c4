import type { Cell, Row, Workbook, Worksheet } from 'exceljs';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Rates and targets are written as the percentages the platform computes (66.67, not 0.6667) under
 * headers saying "(%)", in every export: the figure in the cell is the figure on screen.
 */
export const PERCENT_FORMAT = '0.00';
export const INTEGER_FORMAT = '#,##0';
/** Years without a thousands separator. */
export const YEAR_FORMAT = '0';
export const DATE_FORMAT = 'dd/mm/yyyy';

const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } } as const;
const THIN = { style: 'thin', color: { argb: 'FF8EA9DB' } } as const;

/** "2025-12-31" → "31/12/2025", as dates are written in Vietnamese documents. */
export const vietnameseDate = (isoDate: string): string => {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
};

/** A bold title line, larger when it heads the sheet. */
export function titleRow(sheet: Worksheet, text: string, size = 14): Row {
  const row = sheet.addRow([text]);
  row.font = { bold: true, size };
  return row;
}

/** A table's header row: bold, shaded, bordered, wrapped. */
export function headerRow(sheet: Worksheet, values: (string | null)[]): Row {
  const row = sheet.addRow(values);
  row.eachCell((cell) => styleHeaderCell(cell));
  return row;
}

export function styleHeaderCell(cell: Cell): void {
  cell.font = { bold: true };
  cell.fill = HEADER_FILL;
  cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
  cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
}

/** Number formats of a row's cells by column (1-based), applied to the cells holding a value. */
export function formatCells(row: Row, formats: Record<number, string>): void {
  for (const [column, format] of Object.entries(formats)) row.getCell(Number(column)).numFmt = format;
}

/** Keeps `rows` header rows (and `columns` columns) in view while scrolling. */
export function freeze(sheet: Worksheet, rows: number, columns = 0): void {
  sheet.views = [{ state: 'frozen', ySplit: rows, xSplit: columns }];
}

export async function workbookBuffer(workbook: Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
