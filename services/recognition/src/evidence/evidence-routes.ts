import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import {
  contentDisposition,
  HttpError,
  isUuid,
  limitedBody,
  loadConfig,
  notFound,
  sendJson,
  type HttpRoute,
  type RouteServices,
  type StreamRouteRequest,
} from '@xhht/infra';
import { EVIDENCE_UPLOAD_ROLES, requireReadEvidence } from './evidence-access';
import { EvidenceFile } from './evidence.entity';
import { EvidenceStore } from './evidence-store';
import { cleanFileName } from './file-name';

export const evidenceConfigSchema = z.object({
  /** Folder of the stored files (the local stack passes `.data/<profile>/evidence`). */
  EVIDENCE_DIR: z.string().min(1).default('.data/evidence'),
  /** Largest evidence file accepted, in bytes. */
  EVIDENCE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .default(10 * 1024 * 1024),
});

export const EVIDENCE_ROUTE = '/files/evidence';

/**
 * `POST /files/evidence` (raw body; content-type; x-file-name URL-encoded) → 201
 * `{ id, sha256, sizeBytes, contentType, fileName }`, and `GET /files/evidence/<id>` → the file.
 */
export function evidenceRoutes({ env }: RouteServices): HttpRoute[] {
  const config = loadConfig(evidenceConfigSchema, env);
  const store = new EvidenceStore(path.resolve(config.EVIDENCE_DIR));
  return [
    {
      kind: 'authenticated-stream',
      methods: ['GET', 'POST'],
      path: EVIDENCE_ROUTE,
      async handle(req, res, request) {
        if (req.method === 'POST' && request.rest === '') return upload(req, res, request, store, config.EVIDENCE_MAX_BYTES);
        if (req.method === 'GET' && request.rest !== '' && !request.rest.includes('/')) return download(res, request, store);
        throw notFound('Không tìm thấy', 'NOT_FOUND');
      },
    },
  ];
}

async function upload(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { auth, em, logger }: StreamRouteRequest,
  store: EvidenceStore,
  maxBytes: number,
): Promise<void> {
  // refused before a byte of the body is read
  auth.requireRole(...EVIDENCE_UPLOAD_ROLES);
  const nameHeader = req.headers['x-file-name'];
  if (cleanFileName(nameHeader, '') === undefined) {
    throw new HttpError(400, 'BAD_REQUEST', 'Tên tệp (x-file-name) phải được mã hóa URL (encodeURIComponent)');
  }
  const stored = await store.keep(limitedBody(req, maxBytes), req.headers['content-type']);
  const file = new EvidenceFile();
  file.id = randomUUID();
  file.sha256 = stored.sha256;
  file.sizeBytes = stored.sizeBytes;
  file.contentType = stored.contentType;
  file.fileName = cleanFileName(nameHeader, stored.contentType)!;
  file.storagePath = stored.storagePath;
  file.uploadedBy = auth.subject;
  await em.persist(file).flush();
  logger.info(
    { evidenceFileId: file.id, sha256: file.sha256, sizeBytes: file.sizeBytes, contentType: file.contentType },
    'evidence uploaded',
  );
  sendJson(res, 201, {
    id: file.id,
    sha256: file.sha256,
    sizeBytes: file.sizeBytes,
    contentType: file.contentType,
    fileName: file.fileName,
  });
}

async function download(res: http.ServerResponse, { auth, em, logger, rest }: StreamRouteRequest, store: EvidenceStore): Promise<void> {
  const file = isUuid(rest) ? await em.findOne(EvidenceFile, { id: rest }) : null;
  if (!file) throw notFound('Không tìm thấy tệp minh chứng', 'EVIDENCE_FILE_NOT_FOUND');
  await requireReadEvidence(em, auth, file);
  const location = store.absolutePath(file.storagePath);
  const { size } = await stat(location);
  if (size !== file.sizeBytes) throw new Error(`evidence file ${file.id} on disk has ${size} bytes, not ${file.sizeBytes}`);
  res.writeHead(200, {
    'content-type': file.contentType,
    'content-length': file.sizeBytes,
    'content-disposition': contentDisposition(file.fileName),
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  });
  try {
    await pipeline(createReadStream(location), res);
  } catch (err) {
    // the caller went away part-way through: nothing to answer
    if (res.destroyed && (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') {
      logger.info({ evidenceFileId: file.id }, 'evidence download interrupted by the caller');
      return;
    }
    throw err;
  }
}
