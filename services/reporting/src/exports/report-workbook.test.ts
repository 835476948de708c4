import { Workbook } from 'exceljs';
import { reportWorkbook, type ReportExport } from './report-workbook';

const report: ReportExport = {
  kind: 'ANNUAL',
  kindName: 'Báo cáo năm',
  year: 2025,
  requestingUnitName: 'Tỉnh Lạng Sơn',
  reportingUnitName: 'Phường Đông Kinh',
  reporterName: 'Hoàng Thị Lan',
  dueDate: '2025-12-15',
  status: 'SUBMITTED',
  statusName: 'Đã nộp',
  timeliness: 'LATE',
  timelinessName: 'Nộp muộn',
  submittedAt: new Date('2025-12-16T02:30:00Z'),
  figures: [
    {
      indicator: 'LEARNING_FAMILY_RATE',
      name: 'Tỷ lệ hộ gia đình đạt danh hiệu Gia đình học tập',
      numerator: 8,
      denominator: 12,
      rate: 66.67,
      target: 70,
    },
    {
      indicator: 'LEARNING_CLAN_RATE',
      name: 'Tỷ lệ dòng họ đạt danh hiệu Dòng họ học tập',
      numerator: 12345,
      denominator: 0,
      rate: null,
      target: null,
    },
  ],
  sections: [
    { code: 'RESULTS', title: 'I. Kết quả đạt được', text: 'Phong trào được triển khai rộng khắp.\nTám hộ được công nhận.' },
    { code: 'DIRECTIONS', title: 'II. Phương hướng', text: `${'Tiếp tục vận động các hộ gia đình tham gia. '.repeat(200)}Hết.` },
  ],
};

describe('report workbook', () => {
  it('writes the header block, the figures with their formats and the narrative sections wrapped', async () => {
    const workbook = new Workbook();
    await workbook.xlsx.load((await reportWorkbook(report)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Báo cáo')!;
    const rows = Array.from({ length: sheet.rowCount }, (_, i) => sheet.getRow(i + 1));
    const at = (label: string) => rows.find((r) => r.getCell(1).value === label)!;

    expect(sheet.getCell('A1').value).toBe('Báo cáo năm năm 2025 — Phường Đông Kinh');
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(at('Loại báo cáo').getCell(2).value).toBe('Báo cáo năm');
    expect(at('Loại báo cáo').getCell(3).value).toBe('ANNUAL');
    expect(at('Năm báo cáo').getCell(2).value).toBe(2025);
    expect(at('Đơn vị yêu cầu').getCell(2).value).toBe('Tỉnh Lạng Sơn');
    expect(at('Người báo cáo').getCell(2).value).toBe('Hoàng Thị Lan');
    expect(at('Hạn nộp').getCell(2).value).toEqual(new Date('2025-12-15T00:00:00Z'));
    expect(at('Hạn nộp').getCell(2).numFmt).toBe('dd/mm/yyyy');
    expect([at('Trạng thái').getCell(2).value, at('Trạng thái').getCell(3).value]).toEqual(['Đã nộp', 'SUBMITTED']);
    expect([at('Thời hạn').getCell(2).value, at('Thời hạn').getCell(3).value]).toEqual(['Nộp muộn', 'LATE']);
    // 09:30 in Vietnam
    expect(at('Thời điểm nộp').getCell(2).value).toEqual(new Date('2025-12-16T09:30:00Z'));

    const header = at('Chỉ tiêu');
    expect((header.values as unknown[]).slice(1)).toEqual(['Chỉ tiêu', 'Số đạt', 'Tổng số', 'Tỷ lệ (%)', 'Chỉ tiêu kế hoạch (%)']);
    expect(header.getCell(2).font?.bold).toBe(true);
    const family = sheet.getRow(header.number + 1);
    expect((family.values as unknown[]).slice(1)).toEqual([report.figures[0]!.name, 8, 12, 66.67, 70]);
    expect([2, 3, 4, 5].map((c) => family.getCell(c).numFmt)).toEqual(['#,##0', '#,##0', '0.00', '0.00']);
    const clan = sheet.getRow(header.number + 2);
    expect((clan.values as unknown[]).slice(1)).toEqual([report.figures[1]!.name, 12345, 0]);

    const results = at('I. Kết quả đạt được');
    expect(results.font?.bold).toBe(true);
    expect(sheet.getRow(results.number + 1).getCell(1).value).toBe('Phong trào được triển khai rộng khắp.');
    expect(sheet.getRow(results.number + 2).getCell(1).value).toBe('Tám hộ được công nhận.');
    expect(sheet.getRow(results.number + 1).getCell(1).alignment?.wrapText).toBe(true);
    // a long paragraph goes on over rows, cut at spaces, nothing lost
    const directions = at('II. Phương hướng');
    const pieces = rows.slice(directions.number).map((r) => String(r.getCell(1).value));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join(' ')).toBe(report.sections[1]!.text);
    for (const r of rows.slice(directions.number)) expect(r.height).toBeLessThanOrEqual(409);
  });
});
