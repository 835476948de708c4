import { createReadStream, openSync, readSync, closeSync } from 'node:fs';

/** One record of a CSV file; `row` counts the header as row 1, as a spreadsheet shows it. */
export interface CsvRecord {
  row: number;
  fields: string[];
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Streaming RFC 4180 parser: quoted fields (with "" escapes and line breaks inside), CRLF or LF,
 * comma or semicolon (whichever the header line uses more), a leading UTF-8 BOM stripped.
 * Parsing restarts from the beginning of an unfinished record when the next chunk arrives, so a
 * record may span any number of chunks.
 */
export class CsvParser {
  private rest = '';
  private delimiter = 0;
  private started = false;
  private row = 0;

  get separator(): string {
    return String.fromCharCode(this.delimiter);
  }

  /** Parses what the chunk completes; the records are pushed to `out`. */
  push(chunk: string, out: CsvRecord[]): void {
    let buf = this.rest + chunk;
    if (!this.started) {
      if (buf.length === 0) return;
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
      const firstLineEnd = buf.indexOf('\n');
      if (firstLineEnd < 0 && buf.length < 1 << 16) {
        this.rest = buf;
        return;
      }
      this.delimiter = detectDelimiter(firstLineEnd < 0 ? buf : buf.slice(0, firstLineEnd));
      this.started = true;
    }
    this.rest = this.parse(buf, false, out);
  }

  /** Parses whatever is left once the input has ended. */
  end(out: CsvRecord[]): void {
    if (!this.started) {
      let buf = this.rest;
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
      this.delimiter = detectDelimiter(buf);
      this.started = true;
      this.rest = buf;
    }
    this.parse(this.rest, true, out);
    this.rest = '';
  }

  private parse(buf: string, final: boolean, out: CsvRecord[]): string {
    const delim = this.delimiter;
    const n = buf.length;
    let pos = 0;
    records: while (pos < n) {
      const recordStart = pos;
      const fields: string[] = [];
      for (;;) {
        let value: string;
        if (buf.charCodeAt(pos) === QUOTE) {
          // quoted field: up to the closing quote, "" standing for one quote
          let from = pos + 1;
          value = '';
          for (;;) {
            const q = buf.indexOf('"', from);
            if (q < 0 || (q + 1 >= n && !final)) {
              if (!final) return buf.slice(recordStart);
              // unterminated quote at the end of the file: keep what is there
              value += buf.slice(from);
              pos = n;
              break;
            }
            value += buf.slice(from, q);
            if (buf.charCodeAt(q + 1) === QUOTE) {
              value += '"';
              from = q + 2;
              continue;
            }
            pos = q + 1;
            break;
          }
          // text between a closing quote and the delimiter is kept rather than lost
          const start = pos;
          while (pos < n) {
            const c = buf.charCodeAt(pos);
            if (c === delim || c === LF || c === CR) break;
            pos++;
          }
          if (pos > start) value += buf.slice(start, pos);
        } else {
          const start = pos;
          while (pos < n) {
            const c = buf.charCodeAt(pos);
            if (c === delim || c === LF || c === CR) break;
            pos++;
          }
          value = buf.slice(start, pos);
        }
        fields.push(value);
        if (pos >= n) {
          if (!final) return buf.slice(recordStart);
          this.emit(fields, out);
          break records;
        }
        const c = buf.charCodeAt(pos);
        if (c === delim) {
          pos++;
          continue;
        }
        if (c === CR) {
          if (pos + 1 >= n && !final) return buf.slice(recordStart);
          pos += buf.charCodeAt(pos + 1) === LF ? 2 : 1;
        } else pos++; // LF
        this.emit(fields, out);
        continue records;
      }
    }
    return '';
  }

  private emit(fields: string[], out: CsvRecord[]): void {
    this.row++;
    // blank lines are skipped but still counted, so row numbers match the file
    if (fields.length === 1 && fields[0]!.trim() === '') return;
    out.push({ row: this.row, fields });
  }
}

function detectDelimiter(line: string): number {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
  }
  return semicolons > commas ? 59 : 44;
}

/** Reads a CSV file as a stream of record batches (one array per chunk read). */
export async function* readCsv(file: string, highWaterMark = 1 << 20): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser();
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark });
  for await (const chunk of stream) {
    const out: CsvRecord[] = [];
    parser.push(chunk as string, out);
    if (out.length > 0) yield out;
  }
  const out: CsvRecord[] = [];
  parser.end(out);
  if (out.length > 0) yield out;
}

/** Line breaks in the file: a quick upper bound of its records, for the progress bar. */
export function countLines(file: string): number {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  let last = LF;
  try {
    for (;;) {
      const read = readSync(fd, buf, 0, buf.length, null);
      if (read === 0) break;
      for (let i = buf.indexOf(LF); i >= 0 && i < read; i = buf.indexOf(LF, i + 1)) lines++;
      last = buf[read - 1]!;
    }
  } finally {
    closeSync(fd);
  }
  return last === LF ? lines : lines + 1;
}

/** One CSV field, quoted when it has to be. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
