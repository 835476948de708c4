import { contentDisposition, fileNameSlug } from './content-disposition';

describe('content-disposition of downloads', () => {
  it('announces the name for download in ASCII and, exactly, in UTF-8 (RFC 5987)', () => {
    expect(contentDisposition('Giấy chứng nhận "Gia đình học tập".pdf')).toBe(
      `attachment; filename="Giay chung nhan _Gia dinh hoc tap_.pdf"; filename*=UTF-8''Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20nh%E1%BA%ADn%20%22Gia%20%C4%91%C3%ACnh%20h%E1%BB%8Dc%20t%E1%BA%ADp%22.pdf`,
    );
    expect(contentDisposition("bao-cao (1)'*.xlsx")).toBe(
      `attachment; filename="bao-cao (1)'*.xlsx"; filename*=UTF-8''bao-cao%20%281%29%27%2A.xlsx`,
    );
  });

  it('takes a given ASCII name for clients that do not read filename*, still made safe', () => {
    expect(contentDisposition('Tiến độ Tỉnh Lạng Sơn 2025.xlsx', 'tien-do-tinh-lang-son-2025.xlsx')).toBe(
      `attachment; filename="tien-do-tinh-lang-son-2025.xlsx"; filename*=UTF-8''Ti%E1%BA%BFn%20%C4%91%E1%BB%99%20T%E1%BB%89nh%20L%E1%BA%A1ng%20S%C6%A1n%202025.xlsx`,
    );
    expect(contentDisposition('a.xlsx', 'Đ"a;.xlsx')).toBe(`attachment; filename="D_a_.xlsx"; filename*=UTF-8''a.xlsx`);
  });

  it('makes file-name parts of Vietnamese names', () => {
    expect(fileNameSlug('Tỉnh Lạng Sơn')).toBe('tinh-lang-son');
    expect(fileNameSlug('  Phường Đông Kinh (cũ) / 2025 ')).toBe('phuong-dong-kinh-cu-2025');
    expect(fileNameSlug('—')).toBe('');
  });
});
