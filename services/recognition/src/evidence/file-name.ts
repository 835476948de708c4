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
