import { cleanFileName } from './file-name';

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
});
