import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HttpError } from '@xhht/infra';
import { declaredTypeAgrees, sniffEvidenceType, type EvidenceContentType, type ReadAt } from './sniff';

/** An upload kept on disk: what it is and where, relative to the store's folder. */
export interface StoredContent {
  sha256: string;
  sizeBytes: number;
  contentType: EvidenceContentType;
  storagePath: string;
}

export const unsupportedType = (message: string) => new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', message);

const ACCEPTED = 'Chỉ nhận tệp PDF, ảnh JPEG hoặc PNG, tài liệu Word (.docx) hoặc Excel (.xlsx)';

/**
 * Evidence files on disk, addressed by content: `<dir>/<first two hex digits>/<sha256>`. An
 * upload is written to `<dir>/tmp` while it is hashed and counted, checked, then renamed into
 * place — so a refused or interrupted upload leaves nothing behind, and the same content uploaded
 * twice is kept once.
 */
export class EvidenceStore {
  constructor(readonly dir: string) {}

  absolutePath(storagePath: string): string {
    const resolved = path.resolve(this.dir, storagePath);
    if (!resolved.startsWith(path.resolve(this.dir) + path.sep))
      throw new Error(`storage path outside the evidence folder: ${storagePath}`);
    return resolved;
  }

  /**
   * Keeps `body` (which enforces its own size limit, e.g. `limitedBody`) if it is non-empty and
   * one of the accepted types by its bytes, and a declared type, if any, agrees: else 400 / 415.
   */
  async keep(body: AsyncIterable<Buffer>, declaredType: string | undefined): Promise<StoredContent> {
    const tmpDir = path.join(this.dir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(tmp, { flags: 'wx', mode: 0o600 }),
      );
      if (size === 0) throw new HttpError(400, 'BAD_REQUEST', 'Tệp rỗng: cần gửi nội dung tệp trong thân yêu cầu');
      const contentType = await sniffFile(tmp, size);
      if (!contentType) throw unsupportedType(`Loại tệp không được chấp nhận. ${ACCEPTED}`);
      if (!declaredTypeAgrees(declaredType, contentType)) {
        throw unsupportedType(`Loại tệp khai báo (${declaredType}) không khớp với nội dung tệp (${contentType})`);
      }
      const sha256 = hash.digest('hex');
      const storagePath = path.join(sha256.slice(0, 2), sha256);
      const target = this.absolutePath(storagePath);
      await mkdir(path.dirname(target), { recursive: true });
      if (await exists(target)) await rm(tmp, { force: true });
      else await rename(tmp, target);
      return { sha256, sizeBytes: size, contentType, storagePath };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}

async function sniffFile(file: string, size: number): Promise<EvidenceContentType | null> {
  const handle = await open(file, 'r');
  try {
    const readAt: ReadAt = async (position, length) => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      return buffer.subarray(0, bytesRead);
    };
    return await sniffEvidenceType(readAt, size);
  } finally {
    await handle.close();
  }
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );
