import { fakeExe, tinyDocx, tinyPdf, tinyPng, tinyXlsx, zipOf } from '../../../../test/support/files';
import { EVIDENCE_TYPES, declaredTypeAgrees, readAtBuffer, sniffEvidenceType, sniffHead, zipEntryNames } from './sniff';

const sniff = (b: Buffer) => sniffEvidenceType(readAtBuffer(b), b.length);

describe('evidence type sniffing by magic bytes', () => {
  it('recognises PDF, JPEG and PNG by their signatures', async () => {
    expect(await sniff(tinyPdf())).toBe('application/pdf');
    expect(await sniff(tinyPng())).toBe('image/png');
    expect(await sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]))).toBe('image/jpeg');
  });

  it('recognises Word and Excel documents by the parts inside their zip container', async () => {
    expect(await sniff(tinyDocx())).toBe(EVIDENCE_TYPES.DOCX);
    expect(await sniff(tinyXlsx())).toBe(EVIDENCE_TYPES.XLSX);
    expect(await zipEntryNames(readAtBuffer(tinyDocx()), tinyDocx().length)).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'word/document.xml',
    ]);
  });

  it('refuses a zip that is not an Office document, and a truncated or broken one', async () => {
    expect(sniffHead(zipOf({ 'a.txt': 'x' }))).toBe('zip');
    expect(await sniff(zipOf({ 'a.txt': 'x', 'word/document.xml': '<w/>' }))).toBeNull(); // no [Content_Types].xml
    expect(await sniff(zipOf({ '[Content_Types].xml': '<Types/>', 'ppt/presentation.xml': '<p/>' }))).toBeNull();
    const docx = tinyDocx();
    expect(await sniff(docx.subarray(0, docx.length - 30))).toBeNull(); // end record cut off
    const badDirectory = Buffer.from(docx);
    badDirectory.writeUInt32LE(docx.length, docx.length - 6); // directory offset past the end
    expect(await sniff(badDirectory)).toBeNull();
  });

  it('refuses anything else: executables, plain text, HTML, empty and one-byte files', async () => {
    for (const bytes of [
      fakeExe(),
      Buffer.from('Đây là văn bản thường, không phải PDF', 'utf8'),
      Buffer.from('<html><body>%PDF-1.4</body></html>'),
      Buffer.alloc(0),
      Buffer.from([0xff]),
      Buffer.from('PK'),
    ]) {
      expect(await sniff(bytes)).toBeNull();
    }
  });

  it('a declared type must agree with the bytes; an unspecific one always does', () => {
    expect(declaredTypeAgrees('application/pdf', 'application/pdf')).toBe(true);
    expect(declaredTypeAgrees('Application/PDF; charset=binary', 'application/pdf')).toBe(true);
    expect(declaredTypeAgrees('image/jpg', 'image/jpeg')).toBe(true);
    expect(declaredTypeAgrees('application/octet-stream', 'image/png')).toBe(true);
    expect(declaredTypeAgrees(undefined, 'image/png')).toBe(true);
    expect(declaredTypeAgrees('application/pdf', 'image/png')).toBe(false);
    expect(declaredTypeAgrees('text/plain', 'application/pdf')).toBe(false);
    expect(declaredTypeAgrees('application/zip', EVIDENCE_TYPES.DOCX)).toBe(false);
  });
});
