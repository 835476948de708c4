/** The kinds of evidence file accepted, with the content type each is stored and served as. */
export const EVIDENCE_TYPES = {
  PDF: 'application/pdf',
  JPEG: 'image/jpeg',
  PNG: 'image/png',
  DOCX: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type EvidenceContentType = (typeof EVIDENCE_TYPES)[keyof typeof EVIDENCE_TYPES];

/** Bytes of the head of a file that `sniffHead` looks at. */
export const SNIFF_HEAD_BYTES = 16;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** What the first bytes of a file are: one of the accepted types, a zip container (to look into), or nothing accepted. */
export function sniffHead(head: Buffer): 'application/pdf' | 'image/jpeg' | 'image/png' | 'zip' | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return EVIDENCE_TYPES.PDF;
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return EVIDENCE_TYPES.JPEG;
  if (head.subarray(0, 8).equals(PNG_SIGNATURE)) return EVIDENCE_TYPES.PNG;
  if (head.subarray(0, 4).equals(ZIP_LOCAL_HEADER)) return 'zip';
  return null;
}

/** An Office Open XML document by the parts its zip container holds: Word or Excel, else null. */
export function officeTypeOf(entryNames: readonly string[]): EvidenceContentType | null {
  const names = new Set(entryNames);
  if (!names.has('[Content_Types].xml')) return null;
  if (names.has('word/document.xml')) return EVIDENCE_TYPES.DOCX;
  if (names.has('xl/workbook.xml')) return EVIDENCE_TYPES.XLSX;
  return null;
}

/** Reads `length` bytes at `position` of the file being sniffed (fewer at its end). */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_ENTRY_SIGNATURE = 0x02014b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

/**
 * The names of a zip archive's entries, from its central directory (located through the end of
 * central directory record), or null when the bytes are not a well-formed zip this reads
 * (ZIP64 archives included, which no evidence file of the allowed size needs).
 */
export async function zipEntryNames(readAt: ReadAt, size: number): Promise<string[] | null> {
  if (size < EOCD_MIN) return null;
  const tailLength = Math.min(size, EOCD_MIN + MAX_COMMENT);
  const tail = await readAt(size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = tail.readUInt16LE(eocd + 10);
  const directorySize = tail.readUInt32LE(eocd + 12);
  const directoryOffset = tail.readUInt32LE(eocd + 16);
  if (directoryOffset + directorySize > size) return null;
  const directory = await readAt(directoryOffset, directorySize);
  const names: string[] = [];
  let at = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_ENTRY_SIGNATURE) return null;
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    if (at + 46 + nameLength > directory.length) return null;
    names.push(directory.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** The accepted type of a file by its bytes alone, or null: PDF, JPEG, PNG by signature; DOCX, XLSX by their zip's parts. */
export async function sniffEvidenceType(readAt: ReadAt, size: number): Promise<EvidenceContentType | null> {
  const kind = sniffHead(await readAt(0, SNIFF_HEAD_BYTES));
  if (kind !== 'zip') return kind;
  const names = await zipEntryNames(readAt, size);
  return names ? officeTypeOf(names) : null;
}

export const readAtBuffer =
  (buffer: Buffer): ReadAt =>
  async (position, length) =>
    buffer.subarray(position, position + length);

/** Declared types that name the same thing as the stored one. */
const ALIASES: Record<string, EvidenceContentType> = {
  'image/jpg': EVIDENCE_TYPES.JPEG,
  'image/pjpeg': EVIDENCE_TYPES.JPEG,
  'image/x-png': EVIDENCE_TYPES.PNG,
  'application/x-pdf': EVIDENCE_TYPES.PDF,
};
/** Declared types that say nothing about what the bytes are. */
const UNSPECIFIC = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** Whether a declared Content-Type (parameters ignored) agrees with the sniffed type; an unspecific one always does. */
export function declaredTypeAgrees(declared: string | undefined, sniffed: EvidenceContentType): boolean {
  const type = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  if (UNSPECIFIC.has(type)) return true;
  return (ALIASES[type] ?? type) === sniffed;
}
