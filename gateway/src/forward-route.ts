import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GATEWAY_HEADER, HttpError, limitedBody, payloadTooLarge, readJsonBody, sendJson } from '@xhht/infra';
import type { GatewayCredential } from './subgraph-data-source';

/**
 * Paths the gateway serves without a user token, each forwarded to the route of the same path on
 * one subgraph (sign-in is how a caller gets a token in the first place).
 */
export const PUBLIC_ROUTES: Record<string, { subgraph: string; method: 'POST' }> = {
  '/auth/token': { subgraph: 'org', method: 'POST' },
};

/**
 * Paths the gateway serves with a user token and a raw (non-JSON) body or answer, each with every
 * path below it, relayed as streams to the route of the same path on one subgraph.
 */
export const AUTHENTICATED_STREAM_ROUTES: Record<string, { subgraph: string; methods: readonly ('GET' | 'POST')[] }> = {
  '/files/evidence': { subgraph: 'recognition', methods: ['GET', 'POST'] },
  '/exports': { subgraph: 'reporting', methods: ['GET'] },
  '/certificates': { subgraph: 'awards', methods: ['GET'] },
};

/** The authenticated stream route serving `path` (its own path or one below it). */
export function findStreamRoute(path: string): { subgraph: string; methods: readonly ('GET' | 'POST')[] } | undefined {
  for (const [prefix, route] of Object.entries(AUTHENTICATED_STREAM_ROUTES)) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return route;
  }
  return undefined;
}

/** Request headers a stream route receives from the caller; everything else is dropped. */
const RELAYED_REQUEST_HEADERS = ['content-type', 'content-length', 'x-file-name'];
/** Answer headers relayed back to the caller. */
const RELAYED_ANSWER_HEADERS = [
  'content-type',
  'content-length',
  'content-disposition',
  'x-content-type-options',
  'cache-control',
  'location',
  'allow',
];

/**
 * Relays one request of an authenticated stream route: the verified caller's token, the gateway
 * credential and the request id go along; the body is streamed (never buffered) and refused with
 * 413 once it passes `maxBodyBytes`; the answer streams back with its status and file headers.
 */
export async function relayStream(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  opts: {
    path: string;
    /** The caller's query string ('' or '?…'), relayed as it is (what to export, for instance). */
    search: string;
    subgraphUrl: string;
    token: string;
    credential: GatewayCredential;
    maxBodyBytes: number;
    requestId: string;
  },
): Promise<void> {
  const headers: http.OutgoingHttpHeaders = {
    authorization: `Bearer ${opts.token}`,
    'x-request-id': opts.requestId,
    [GATEWAY_HEADER]: await opts.credential.get(),
  };
  for (const name of RELAYED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const hasBody = req.method === 'POST';
  // refused before anything goes upstream when the declared length is already too much
  const declared = Number(req.headers['content-length']);
  if (hasBody && Number.isFinite(declared) && declared > opts.maxBodyBytes) throw payloadTooLarge(opts.maxBodyBytes);
  const target = new URL(opts.subgraphUrl);
  target.pathname = opts.path;
  target.search = opts.search;
  const upstream = http.request(target, { method: req.method, headers });

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve();
    };
    upstream.on('response', (answer) => {
      const relayed: http.OutgoingHttpHeaders = {};
      for (const name of RELAYED_ANSWER_HEADERS) if (answer.headers[name] !== undefined) relayed[name] = answer.headers[name];
      if (!req.complete) relayed.connection = 'close';
      res.writeHead(answer.statusCode ?? 502, relayed);
      pipeline(answer, res).then(
        () => finish(),
        () => finish(),
      );
    });
    upstream.on('error', () => {
      // the subgraph is down or restarting, or hung up: the caller can simply try again
      if (!res.headersSent) {
        finish(new HttpError(503, 'SERVICE_UNAVAILABLE', 'Dịch vụ tạm thời không sẵn sàng, vui lòng thử lại sau ít phút'));
      } else {
        res.destroy();
        finish();
      }
    });
    if (!hasBody) {
      upstream.end();
      return;
    }
    pipeline(Readable.from(limitedBody(req, opts.maxBodyBytes)), upstream).catch((err: unknown) => {
      upstream.destroy();
      // too large while streaming: refused here, unless the subgraph has already answered
      if (err instanceof HttpError && !res.headersSent) finish(err);
    });
  });
}

/**
 * Relays one JSON POST to a subgraph with the gateway credential and request id, and its answer
 * back unchanged. The body is read (and limited) here, so an oversized one never leaves the gateway.
 */
export async function forwardRoute(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  opts: { path: string; method: 'POST'; subgraphUrl: string; credential: GatewayCredential; maxBodyBytes: number; requestId: string },
): Promise<void> {
  if (req.method !== opts.method) {
    res.setHeader('allow', opts.method);
    throw new HttpError(405, 'BAD_REQUEST', `Chỉ chấp nhận ${opts.method}`);
  }
  const body = await readJsonBody(req, opts.maxBodyBytes);
  const headers = { 'content-type': 'application/json', 'x-request-id': opts.requestId, [GATEWAY_HEADER]: await opts.credential.get() };
  let answer: Response;
  try {
    answer = await fetch(new URL(opts.path, opts.subgraphUrl), {
      method: opts.method,
      headers,
      body: JSON.stringify(body ?? null),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    // the subgraph is down, restarting or too slow: the caller can simply try again
    throw new HttpError(503, 'SERVICE_UNAVAILABLE', 'Dịch vụ tạm thời không sẵn sàng, vui lòng thử lại sau ít phút');
  }
  const text = await answer.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`subgraph answered ${opts.path} with status ${answer.status} and no JSON`);
  }
  sendJson(res, answer.status, parsed);
}
