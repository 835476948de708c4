import { foldVietnamese } from '../text/vietnamese';

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

/**
 * `attachment` with the file's name, as RFC 6266 / RFC 5987 have it (UTF-8 in filename*); `ascii`
 * is the name for clients that do not read filename* (by default the name without diacritics).
 */
export function contentDisposition(fileName: string, ascii = asciiFallback(fileName)): string {
  return `attachment; filename="${asciiFallback(ascii)}"; filename*=UTF-8''${encode5987(fileName)}`;
}

/** Text as a file-name part: Vietnamese folded to lower-case ASCII, words joined by '-' ("Tỉnh Lạng Sơn" → "tinh-lang-son"). */
export const fileNameSlug = (text: string): string =>
  foldVietnamese(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
