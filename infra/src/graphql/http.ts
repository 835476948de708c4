import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import { DomainError } from '../errors';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

export const MAX_BODY_BYTES = 1_000_000;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  // a refusal leaves the request readable, so the rest can be drained before the answer
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'BAD_REQUEST', `Request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'Request body is not valid JSON');
  }
}

/** Refusal of a body larger than `limit` bytes (code PAYLOAD_TOO_LARGE). */
export const payloadTooLarge = (limit: number) =>
  new HttpError(413, 'PAYLOAD_TOO_LARGE', `Dữ liệu gửi lên vượt quá giới hạn ${limit.toLocaleString('vi-VN')} byte`);

/**
 * A request body chunk by chunk, never more than `limit` bytes: a declared Content-Length above
 * the limit is refused before anything is read, and a body that grows past it is refused at the
 * chunk that crosses it (413 PAYLOAD_TOO_LARGE). Nothing is buffered here.
 */
export async function* limitedBody(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge(limit);
  let size = 0;
  // a refusal leaves the request readable, so the rest can be drained and the connection kept
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > limit) throw payloadTooLarge(limit);
    yield chunk as Buffer;
  }
}

/**
 * Reads and discards what is left of a request body refused part-way, so that the answer reaches a
 * caller still sending (closing a connection with unread data resets it, answer and all). Stops
 * after `limit` more bytes (and closes the connection), or once the caller has sent nothing for
 * `idleMs` (a caller waiting for the answer before it sends gets it then; the connection closes after).
 */
export async function drainRequest(req: IncomingMessage, limit = 64 * 1024 * 1024, idleMs = 1000): Promise<void> {
  if (req.complete || req.destroyed) return;
  await new Promise<void>((resolve) => {
    let size = 0;
    let timer = setTimeout(() => done(), idleMs);
    const done = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.pause();
      resolve();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      clearTimeout(timer);
      timer = setTimeout(() => done(), idleMs);
      if (size > limit) {
        req.destroy();
        done();
      }
    };
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}

/** HTTP status of each domain error code, for routes outside GraphQL that throw domain errors. */
const DOMAIN_ERROR_STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A GraphQL-shaped error response for refusals that happen before execution (auth, size). */
export function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** Hands one HTTP request to Apollo Server and writes its answer. */
export async function executeApollo<C extends BaseContext>(
  server: ApolloServer<C>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  context: () => Promise<C>,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: url.search, body },
    context,
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/**
 * An HTTP server whose handler may throw: HttpError and domain errors (forbidden(), notFound(), …)
 * become GraphQL-shaped refusals with their status, anything else is logged and answered as a masked 500.
 */
export function createHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>, logger: Logger): http.Server {
  const server = http.createServer((req, res) => {
    void handler(req, res).catch(async (err: unknown) => {
      if ((err instanceof HttpError || err instanceof DomainError) && !req.complete && !res.headersSent) {
        // the rest of the body was not read, so this connection cannot carry another request; read
        // (and drop) what the caller is still sending first, so it receives the answer rather than a
        // reset while it writes (drainRequest bounds both the bytes and the time)
        res.setHeader('connection', 'close');
        await drainRequest(req);
      }
      if (err instanceof HttpError) {
        return sendGraphQLError(res, err.status, err.code, err.message);
      }
      if (err instanceof DomainError && !res.headersSent) {
        const status = DOMAIN_ERROR_STATUS[String(err.extensions.code)] ?? 400;
        return sendJson(res, status, { errors: [{ message: err.message, extensions: err.extensions }] });
      }
      logger.error({ err: (err as Error).message }, 'request failed');
      if (!res.headersSent) sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Lỗi hệ thống');
    });
  });
  // longer than a client's idle pool is likely to keep a connection, so the server is not the one
  // closing it just as a request is sent (a client that reads the Keep-Alive hint drops it a second early)
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

export async function listen(server: http.Server, port: number): Promise<void> {
  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', resolve));
}

export async function closeHttpServer(server: http.Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** The path of a request URL, without its query string. */
export const requestPath = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0] ?? '/';
