import type http from 'node:http';
import { GATEWAY_HEADER, HttpError, readJsonBody, sendJson } from '@xhht/infra';
import type { GatewayCredential } from './subgraph-data-source';

/**
 * Paths the gateway serves without a user token, each forwarded to the route of the same path on
 * one subgraph (sign-in is how a caller gets a token in the first place).
 */
export const PUBLIC_ROUTES: Record<string, { subgraph: string; method: 'POST' }> = {
  '/auth/token': { subgraph: 'org', method: 'POST' },
};

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
