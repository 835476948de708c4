/** RFC 5987 value characters: what encodeURIComponent leaves, less ' ( ) * which it leaves too. */
const encode5987 = (value: string) => encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A plain ASCII stand-in for clients that do not read filename*: diacritics dropped, anything unsafe replaced. */
function asciiFallback(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\%;]/g, '_');
}

/** `attachment` with the file's name, as RFC 6266 / RFC 5987 have it (UTF-8 in filename*). */
export function contentDisposition(fileName: string): string {
  return `attachment; filename="${asciiFallback(fileName)}"; filename*=UTF-8''${encode5987(fileName)}`;
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

/**
 * The name to keep from an `x-file-name` header (URL-encoded): its last path segment, without
 * control characters, at most 255 characters; `minh-chung.<ext>` when none is given. Undefined
 * when the header cannot be decoded.
 */
export function cleanFileName(header: string | string[] | undefined, contentType: string): string | undefined {
  const fallback = `minh-chung.${EXTENSIONS[contentType] ?? 'bin'}`;
  if (header === undefined) return fallback;
  if (Array.isArray(header)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(header);
  } catch {
    return undefined;
  }
  const name = (decoded.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/\p{Cc}/gu, '')
    .trim();
  if (name === '' || name === '.' || name === '..') return fallback;
  return [...name].slice(0, 255).join('');
}
