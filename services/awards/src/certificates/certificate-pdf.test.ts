import { pdfText } from '../../../../test/support/pdf';
import { renderCertificatePdf, renderCertificatesPdf, vietnameseDate, type CertificateContent } from './certificate-pdf';
import { certificateHeading } from './certificate-content';

const CERTIFICATE: CertificateContent = {
  authority: ['ỦY BAN NHÂN DÂN', 'TỈNH LẠNG SƠN'],
  heading: 'BẰNG KHEN',
  grantor: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN',
  awardee: 'Hộ gia đình ông Nguyễn Văn Đức',
  awardeeDetail: 'Thôn Bản Pò, Phường Đông Kinh, tỉnh Lạng Sơn',
  achievement: 'xuất sắc trong phong trào xây dựng "Gia đình học tập" giai đoạn 2023–2025',
  place: 'Lạng Sơn',
  date: '2026-10-02',
  signerTitle: 'CHỦ TỊCH',
  signerName: 'Hoàng Văn Nghiệm',
  decisionNumber: '1234/QĐ-UBND',
  decisionDate: '2026-09-28',
  registerNumber: 'BK-2026-0042',
};

/** A page's lines, for comparing whole lines. */
const lines = (page: string) => page.split('\n').map((l) => l.trim());

describe('certificate PDF', () => {
  it('prints every Vietnamese line as written, read back by a viewer letter for letter', async () => {
    const [page, ...more] = await pdfText(await renderCertificatePdf(CERTIFICATE));
    expect(more).toHaveLength(0);
    expect(lines(page!)).toEqual(
      expect.arrayContaining([
        'ỦY BAN NHÂN DÂN',
        'TỈNH LẠNG SƠN',
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập – Tự do – Hạnh phúc',
        'BẰNG KHEN',
        'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN',
        'TẶNG',
        'Hộ gia đình ông Nguyễn Văn Đức',
        'Thôn Bản Pò, Phường Đông Kinh, tỉnh Lạng Sơn',
        'Lạng Sơn, ngày 2 tháng 10 năm 2026',
        'Hoàng Văn Nghiệm',
        'Quyết định số 1234/QĐ-UBND ngày 28/09/2026',
        'Số vào sổ: BK-2026-0042',
      ]),
    );
    expect(page!.replace(/\s+/g, ' ')).toContain('Đã có thành tích xuất sắc trong phong trào xây dựng "Gia đình học tập"');
  });

  it('embeds its own font and uses none of the standard PDF fonts, which have no Vietnamese letters', async () => {
    const pdf = (await renderCertificatePdf(CERTIFICATE)).toString('latin1');
    expect(pdf).toContain('/FontFile2');
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSerif-Bold/);
    expect(pdf).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
  });

  it('prints a name typed with combining tone marks in composed letters', async () => {
    const decomposed = { ...CERTIFICATE, awardee: 'Hộ gia đình bà Lê Thị Hường'.normalize('NFD') };
    expect(decomposed.awardee).not.toBe('Hộ gia đình bà Lê Thị Hường');
    const [page] = await pdfText(await renderCertificatePdf(decomposed));
    expect(lines(page!)).toContain('Hộ gia đình bà Lê Thị Hường'.normalize('NFC'));
  });

  it('prints the certificates of a decision one page each, in order, with one embedded font', async () => {
    const second = { ...CERTIFICATE, awardee: 'Dòng họ Hoàng ở thôn Nà Cạo', registerNumber: 'BK-2026-0043' };
    const pdf = await renderCertificatesPdf([CERTIFICATE, second], 'Quyết định số 1234/QĐ-UBND – Bằng khen');
    const pages = await pdfText(pdf);
    expect(pages).toHaveLength(2);
    expect(lines(pages[0]!)).toEqual(expect.arrayContaining(['Hộ gia đình ông Nguyễn Văn Đức', 'Số vào sổ: BK-2026-0042']));
    expect(lines(pages[1]!)).toEqual(expect.arrayContaining(['Dòng họ Hoàng ở thôn Nà Cạo', 'Số vào sổ: BK-2026-0043']));
    expect(pdf.toString('latin1').match(/\/FontFile2/g)).toHaveLength(3);
  });

  it('heads the certificate with the form: BẰNG KHEN, GIẤY KHEN, or the emulation title itself', () => {
    expect(certificateHeading('Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh')).toBe('BẰNG KHEN');
    expect(certificateHeading('Giấy khen của Chủ tịch Ủy ban nhân dân xã')).toBe('GIẤY KHEN');
    expect(certificateHeading('Danh hiệu "Lao động tiên tiến"')).toBe('LAO ĐỘNG TIÊN TIẾN');
  });

  it('writes the date the way an administrative document does', () => {
    expect(vietnameseDate('2026-10-02')).toBe('ngày 2 tháng 10 năm 2026');
    expect(vietnameseDate('2025-12-31')).toBe('ngày 31 tháng 12 năm 2025');
  });
});
