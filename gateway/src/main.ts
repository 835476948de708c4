import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import {
  InvalidTokenError,
  bearerToken,
  closeHttpServer,
  createHttpServer,
  createLogger,
  executeApollo,
  listen,
  requestPath,
  runUntilSignal,
  formatError,
  loadConfig,
  readJsonBody,
  sendGraphQLError,
  sendJson,
  verifyUserToken,
} from '@xhht/infra';
import { gatewayConfigSchema, type GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { depthLimit } from './depth-limit';
import { PUBLIC_ROUTES, findStreamRoute, forwardRoute, relayStream } from './forward-route';
import { GatewayCredential, SubgraphDataSource } from './subgraph-data-source';

/**
 * The one GraphQL endpoint for frontends: verifies the caller's token, limits what a request may
 * ask, and plans each operation over the subgraphs of the checked-in static supergraph.
 */
export async function startGateway(config: GatewayConfig = loadConfig(gatewayConfigSchema)) {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const overrides: Record<string, string | undefined> = {
    org: config.ORG_URL,
    recognition: config.RECOGNITION_URL,
    reporting: config.REPORTING_URL,
    awards: config.AWARDS_URL,
  };
  const routing = new Map<string, string>();
  const credential = new GatewayCredential(config.GATEWAY_SECRET);
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name, url }) => {
      const target = overrides[name] ?? url;
      if (!target) throw new Error(`No URL for subgraph ${name}`);
      routing.set(name, target);
      return new SubgraphDataSource(target, credential);
    },
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: [depthLimit(config.MAX_QUERY_DEPTH)],
    formatError: formatError(logger),
    includeStacktraceInErrorResponses: false,
    introspection: config.NODE_ENV !== 'production',
  });
  await server.start();

  const httpServer = createHttpServer(handle, logger);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = requestPath(req);
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok', service: 'gateway' });
    if (path === '/readyz') {
      const checks = await Promise.all(
        [...routing].map(async ([name, url]) => {
          const ok = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(2000) })
            .then((r) => r.ok)
            .catch(() => false);
          return [name, ok] as const;
        }),
      );
      const ready = checks.every(([, ok]) => ok);
      return sendJson(res, ready ? 200 : 503, { service: 'gateway', subgraphs: Object.fromEntries(checks) });
    }
    const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : randomUUID();
    const publicRoute = PUBLIC_ROUTES[path];
    if (publicRoute) {
      const subgraphUrl = routing.get(publicRoute.subgraph);
      if (!subgraphUrl) throw new Error(`No URL for subgraph ${publicRoute.subgraph}`);
      res.setHeader('x-request-id', requestId);
      return forwardRoute(req, res, {
        path,
        method: publicRoute.method,
        subgraphUrl,
        credential,
        maxBodyBytes: config.MAX_BODY_BYTES,
        requestId,
      });
    }
    const streamRoute = findStreamRoute(path);
    if (path !== '/graphql' && !streamRoute) return sendJson(res, 404, { error: 'not found' });
    const token = bearerToken(req.headers.authorization);
    if (!token) return sendGraphQLError(res, 401, 'UNAUTHENTICATED', 'Cần đăng nhập: thiếu mã truy cập (Authorization: Bearer …)');
    let principal;
    try {
      principal = await verifyUserToken(token, config.JWT_SECRET);
    } catch (err) {
      if (err instanceof InvalidTokenError) {
        return sendGraphQLError(res, 401, 'UNAUTHENTICATED', 'Mã truy cập không hợp lệ hoặc đã hết hạn');
      }
      throw err;
    }
    res.setHeader('x-request-id', requestId);
    if (streamRoute) {
      if (!streamRoute.methods.includes(req.method as 'GET' | 'POST')) {
        res.setHeader('allow', streamRoute.methods.join(', '));
        return sendGraphQLError(res, 405, 'BAD_REQUEST', `Chỉ chấp nhận ${streamRoute.methods.join(', ')}`);
      }
      const subgraphUrl = routing.get(streamRoute.subgraph);
      if (!subgraphUrl) throw new Error(`No URL for subgraph ${streamRoute.subgraph}`);
      const search = new URL(req.url ?? '/', 'http://localhost').search;
      return relayStream(req, res, { path, search, subgraphUrl, token, credential, maxBodyBytes: config.MAX_UPLOAD_BYTES, requestId });
    }
    const body = req.method === 'POST' ? await readJsonBody(req, config.MAX_BODY_BYTES) : undefined;
    await executeApollo(server, req, res, body, async () => ({ token, principal, requestId }));
  }

  await listen(httpServer, config.PORT);
  logger.info({ port: config.PORT }, `gateway listening at http://localhost:${config.PORT}/graphql`);
  return {
    port: config.PORT,
    async stop() {
      await closeHttpServer(httpServer);
      await server.stop();
    },
  };
}

if (require.main === module) runUntilSignal('gateway', () => startGateway());
