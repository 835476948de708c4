import type http from 'node:http';
import { createHash } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { RequestContext, UniqueConstraintViolationException, type EntitySchema } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MigrationObject } from '@mikro-orm/core';
import type { Admin } from 'kafkajs';
import { loadConfig, serviceConfigSchema, type ServiceConfig } from '../config';
import { createLogger, type Logger } from '../logger';
import { EventCatalog } from '../events/catalog';
import type { ServiceName } from '../events/cloud-event';
import { initORM, databaseReachable, type MikroORM } from '../db/orm';
import { createKafka, ensureTopics } from '../kafka/client';
import { topicsOwnedBy, deadLetterTopic } from '../kafka/topics';
import { Outbox } from '../outbox/outbox';
import { OutboxRelay } from '../outbox/relay';
import { InboxConsumer, type InboxHandler } from '../inbox/consumer';
import { AuthContext } from '../auth/auth-context';
import { GATEWAY_HEADER, bearerToken, verifyGatewayCredential, verifyUserToken, InvalidTokenError } from '../auth/tokens';
import { loadTypeDefs } from '../graphql/type-defs';
import {
  closeHttpServer,
  createHttpServer,
  drainRequest,
  executeApollo,
  listen,
  readJsonBody,
  requestPath,
  sendGraphQLError,
  sendJson,
} from '../graphql/http';
import { runUntilSignal } from './process-lifecycle';
import { formatError } from '../graphql/format-error';
import { conflict } from '../errors';
import type { ServiceContext } from './context';

export interface ConsumerDefinition {
  /** Consumer group name; the group's inbox and dead-letter topic belong to this service. */
  groupId: string;
  topics: string[];
  handlers: Record<string, InboxHandler>;
}

/** What a service's own HTTP routes may use; built once at boot. */
export interface RouteServices {
  orm: MikroORM;
  config: ServiceConfig;
  logger: Logger;
  env: NodeJS.ProcessEnv;
}

/**
 * A JSON endpoint beside /graphql (e.g. sign-in). Like /graphql it is reachable only through the
 * gateway (its credential is checked first) and its body is size-limited; unlike /graphql it needs
 * no user token: the handler decides who may call it.
 */
export interface JsonRoute {
  kind?: 'json';
  method: 'POST';
  path: string;
  handle(body: unknown, request: { em: EntityManager; logger: Logger }): Promise<{ status: number; body: unknown }>;
}

/** What an authenticated stream route knows about its request. */
export interface StreamRouteRequest {
  /** The caller, from the user token the gateway verified and relayed (verified again here). */
  auth: AuthContext;
  em: EntityManager;
  logger: Logger;
  /** The rest of the path below the route's path, without the leading slash ('' for the path itself). */
  rest: string;
}

/**
 * A binary endpoint beside /graphql (e.g. file upload and download): reachable only through the
 * gateway, only with a valid user token, for the route's path and every path below it. The
 * handler gets the raw request to read as a stream (limit it with `limitedBody`) and writes the
 * response itself; domain errors and HttpError it throws become JSON refusals with their status.
 */
export interface AuthenticatedStreamRoute {
  kind: 'authenticated-stream';
  methods: readonly ('GET' | 'POST')[];
  path: string;
  handle(req: http.IncomingMessage, res: http.ServerResponse, request: StreamRouteRequest): Promise<void>;
}

export type HttpRoute = JsonRoute | AuthenticatedStreamRoute;

/** The route serving `path`: an exact match, or a stream route whose path is a prefix of it. */
export function findRoute(routes: readonly HttpRoute[], path: string): { route: HttpRoute; rest: string } | undefined {
  for (const route of routes) {
    if (route.path === path) return { route, rest: '' };
    if (route.kind === 'authenticated-stream' && path.startsWith(`${route.path}/`)) {
      return { route, rest: path.slice(route.path.length + 1) };
    }
  }
  return undefined;
}

export interface ServiceDefinition<L> {
  name: ServiceName;
  /** Folder holding the service's *.graphql files. */
  sdlDir: string;
  resolvers: GraphQLResolverMap<ServiceContext<L>>;
  entities: EntitySchema<any, any>[];
  migrations: MigrationObject[];
  consumers?: ConsumerDefinition[];
  createLoaders: (em: EntityManager) => L;
  /** Extra HTTP routes; read the service's own settings from `env` here so a bad one stops the boot. */
  routes?: (services: RouteServices) => HttpRoute[];
}

export interface RunningService {
  config: ServiceConfig;
  orm: MikroORM;
  port: number;
  stop(): Promise<void>;
}

const lockKeyFor = (name: string) => createHash('sha256').update(`outbox:${name}`).digest().readInt32BE(0);

/**
 * Boots one subgraph service: configuration, database (migrated), outbox relay, inbox consumers,
 * and an HTTP server with /graphql, /healthz and /readyz. Kafka being down at boot does not stop
 * the service from serving and accepting writes; its Kafka parts keep retrying in the background.
 */
export async function runService<L>(def: ServiceDefinition<L>, env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig(serviceConfigSchema, env);
  const logger = createLogger(def.name, config.LOG_LEVEL);
  const catalog = new EventCatalog();
  const orm = await initORM({
    databaseUrl: config.DATABASE_URL,
    entities: def.entities,
    migrations: def.migrations,
    poolMax: config.DATABASE_POOL_MAX,
    logger,
  });
  const kafka = createKafka({ clientId: config.KAFKA_CLIENT_ID ?? `xhht-${def.name}`, brokers: config.KAFKA_BROKERS, logger });
  const outbox = new Outbox(catalog);
  const relay = new OutboxRelay({ orm, kafka, logger, lockKey: lockKeyFor(def.name), pollMs: config.OUTBOX_POLL_MS });
  relay.start();

  const fatal = (err: Error) => {
    logger.fatal({ err: err.message }, 'unrecoverable failure; exiting for the supervisor to restart');
    process.exit(1);
  };
  const consumers = (def.consumers ?? []).map(
    (c) =>
      new InboxConsumer({
        orm,
        kafka,
        catalog,
        logger,
        groupId: c.groupId,
        topics: c.topics,
        handlers: c.handlers,
        deadLetterTopic: deadLetterTopic(def.name),
        maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
        batchSize: config.CONSUMER_BATCH_SIZE,
        onFatal: fatal,
      }),
  );
  let stopping = false;
  const kafkaStartup = startKafkaParts(def, config, kafka, consumers, logger, () => stopping).catch(fatal);

  const server = new ApolloServer<ServiceContext<L>>({
    schema: buildSubgraphSchema([{ typeDefs: loadTypeDefs(def.sdlDir), resolvers: def.resolvers }]),
    formatError: formatError(logger),
    // no cache hints are given (answers depend on the caller), and the cache-control plugin alone would
    // wrap every resolver of the schema to collect them
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
    includeStacktraceInErrorResponses: false,
    // the gateway relays errors of a 200 answer with their codes; a 400 would reach callers as a generic failure
    status400ForVariableCoercionErrors: false,
    introspection: config.NODE_ENV !== 'production',
  });
  await server.start();

  const routes = def.routes?.({ orm, config, logger, env }) ?? [];
  const brokerProbe = new BrokerProbe(kafka);
  const httpServer = createHttpServer(handleRequest, logger);

  /** The caller of a user-token request, or undefined once a 401 has been sent. */
  async function authenticate(req: http.IncomingMessage, res: http.ServerResponse): Promise<AuthContext | undefined> {
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      sendGraphQLError(res, 401, 'UNAUTHENTICATED', 'Cần đăng nhập (thiếu mã truy cập)');
      return undefined;
    }
    try {
      return new AuthContext(await verifyUserToken(token, config.JWT_SECRET));
    } catch (err) {
      if (!(err instanceof InvalidTokenError)) throw err;
      sendGraphQLError(res, 401, 'UNAUTHENTICATED', 'Mã truy cập không hợp lệ hoặc đã hết hạn');
      return undefined;
    }
  }

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = requestPath(req);
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok', service: def.name });
    if (path === '/readyz') {
      const [database, broker] = await Promise.all([databaseReachable(orm), brokerProbe.reachable()]);
      return sendJson(res, database && broker ? 200 : 503, { service: def.name, database, broker, outboxRelay: relay.healthy });
    }
    const found = findRoute(routes, path);
    if (path !== '/graphql' && !found) return sendJson(res, 404, { error: 'not found' });
    const credential = req.headers[GATEWAY_HEADER];
    if (typeof credential !== 'string' || !(await verifyGatewayCredential(credential, config.GATEWAY_SECRET))) {
      return sendGraphQLError(res, 403, 'FORBIDDEN', 'Subgraph calls must come through the gateway');
    }
    const route = found?.route;
    if (route && route.kind !== 'authenticated-stream') {
      if (req.method !== route.method) {
        res.setHeader('allow', route.method);
        return sendGraphQLError(res, 405, 'BAD_REQUEST', `Chỉ chấp nhận ${route.method}`);
      }
      const body = await readJsonBody(req);
      const requestLogger = logger.child({ requestId: req.headers['x-request-id'], route: route.path });
      const answer = await route.handle(body, { em: orm.em.fork() as EntityManager, logger: requestLogger });
      return sendJson(res, answer.status, answer.body);
    }
    const auth = await authenticate(req, res);
    if (!auth) return;
    if (route) {
      if (!route.methods.includes(req.method as 'GET' | 'POST')) {
        res.setHeader('allow', route.methods.join(', '));
        return sendGraphQLError(res, 405, 'BAD_REQUEST', `Chỉ chấp nhận ${route.methods.join(', ')}`);
      }
      const requestLogger = logger.child({ requestId: req.headers['x-request-id'], route: route.path, subject: auth.subject });
      try {
        return await route.handle(req, res, { auth, em: orm.em.fork() as EntityManager, logger: requestLogger, rest: found!.rest });
      } catch (err) {
        // refused before its body was all read (too large, wrong role): the caller should still get the answer
        await drainRequest(req);
        throw err;
      }
    }
    const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
    const em = orm.em.fork() as EntityManager;
    const requestLogger = logger.child({ requestId: req.headers['x-request-id'], subject: auth.subject });
    const context: ServiceContext<L> = {
      auth,
      em,
      loaders: def.createLoaders(em),
      logger: requestLogger,
      async transact(work) {
        let result;
        try {
          result = await em.transactional(async (tx) => {
            const { result: r, events } = await work(tx as EntityManager);
            for (const event of events) outbox.add(tx, event);
            return r;
          });
        } catch (err) {
          // a concurrent write won the race past the domain's own check: the same refusal, not a 500
          if (err instanceof UniqueConstraintViolationException || isExclusionViolation(err)) {
            throw conflict('Dữ liệu này đã tồn tại', 'ALREADY_EXISTS');
          }
          throw err;
        }
        relay.nudge();
        return result;
      },
    };
    await RequestContext.create(em, () => executeApollo(server, req, res, body, async () => context));
  }

  await listen(httpServer, config.PORT);
  logger.info({ port: config.PORT }, `${def.name} subgraph listening`);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down');
    await closeHttpServer(httpServer);
    await server.stop();
    await Promise.all(consumers.map((c) => c.stop()));
    await kafkaStartup;
    await relay.stop();
    await brokerProbe.close();
    await orm.close(true);
  };
  return { config, orm, port: config.PORT, stop };
}

async function startKafkaParts<L>(
  def: ServiceDefinition<L>,
  config: ServiceConfig,
  kafka: ReturnType<typeof createKafka>,
  consumers: InboxConsumer[],
  logger: Logger,
  stopping: () => boolean,
): Promise<void> {
  for (let attempt = 1; !stopping(); attempt++) {
    try {
      if (config.KAFKA_CREATE_TOPICS) await ensureTopics(kafka, topicsOwnedBy(def.name));
      for (const c of consumers) await c.start();
      logger.info({ consumers: consumers.length }, 'kafka consumers running');
      return;
    } catch (err) {
      if (attempt % 5 === 1) logger.warn({ err: (err as Error).message, attempt }, 'kafka not ready; retrying');
      await Promise.all(consumers.map((c) => c.stop()));
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * attempt)));
    }
  }
}

/** Answers "can we reach the broker" cheaply; the answer is cached for two seconds. */
class BrokerProbe {
  private admin?: Admin;
  private cached?: { at: number; ok: boolean };
  constructor(private readonly kafka: ReturnType<typeof createKafka>) {}

  async reachable(): Promise<boolean> {
    if (this.cached && Date.now() - this.cached.at < 2000) return this.cached.ok;
    let ok = false;
    try {
      this.admin ??= this.kafka.admin();
      await withTimeout(
        (async () => {
          await this.admin!.connect();
          await this.admin!.describeCluster();
        })(),
        2500,
      );
      ok = true;
    } catch {
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
    }
    this.cached = { at: Date.now(), ok };
    return ok;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}

/** Entry point of a service process. */
export function main<L>(def: ServiceDefinition<L>): void {
  runUntilSignal(def.name, () => runService(def));
}

/** SQLSTATE 23P01: an exclusion constraint (e.g. one unit per code at any date) refused the write. */
const isExclusionViolation = (err: unknown): boolean => (err as { code?: string } | null)?.code === '23P01';
