import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** The text of each page of a PDF as a viewer reads it (pdfjs-dist, in its own process: see pdf-text.mjs). */
export async function pdfText(pdf: Buffer): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'xhht-pdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'pdf-text.mjs'), file]);
    return JSON.parse(stdout) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
