import { cleanFileName, contentDisposition } from './content-disposition';

describe('file names of evidence', () => {
  it('keeps the decoded last path segment, without control characters', () => {
    expect(cleanFileName(encodeURIComponent('Biên bản họp (2025).pdf'), 'application/pdf')).toBe('Biên bản họp (2025).pdf');
    expect(cleanFileName(encodeURIComponent('C:\\tai lieu\\..\\giấy khen.png'), 'image/png')).toBe('giấy khen.png');
    expect(cleanFileName(encodeURIComponent('../../etc/passwd\n'), 'application/pdf')).toBe('passwd');
    expect(cleanFileName(undefined, 'image/png')).toBe('minh-chung.png');
    expect(cleanFileName(encodeURIComponent('dir/'), 'application/pdf')).toBe('minh-chung.pdf');
    expect(cleanFileName('%E0%A4%A', 'application/pdf')).toBeUndefined();
    expect([...cleanFileName(encodeURIComponent('ả'.repeat(400)), 'application/pdf')!]).toHaveLength(255);
  });

  it('announces the name for download in ASCII and, exactly, in UTF-8 (RFC 5987)', () => {
    expect(contentDisposition('Giấy chứng nhận "Gia đình học tập".pdf')).toBe(
      `attachment; filename="Giay chung nhan _Gia dinh hoc tap_.pdf"; filename*=UTF-8''Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20nh%E1%BA%ADn%20%22Gia%20%C4%91%C3%ACnh%20h%E1%BB%8Dc%20t%E1%BA%ADp%22.pdf`,
    );
    expect(contentDisposition("bao-cao (1)'*.xlsx")).toBe(
      `attachment; filename="bao-cao (1)'*.xlsx"; filename*=UTF-8''bao-cao%20%281%29%27%2A.xlsx`,
    );
  });
});
