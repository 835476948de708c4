import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { SERVICES, type ServiceName } from '../events/cloud-event';
import type { Logger } from '../logger';
import { createKafka, ensureTopics, parseBrokerList } from '../kafka/client';
import { topicsOwnedBy } from '../kafka/topics';
import { KafkaBroker } from './kafka-broker';
import { databaseUrl, dropDatabases, startEmbeddedPostgres, type PostgresHandle } from './postgres';
import { SupervisedProcess } from './supervised-process';

export const repoRoot = path.resolve(__dirname, '../../..');

export interface StackProfile {
  name: 'dev' | 'test' | 'bench';
  gatewayPort: number;
  servicePorts: Record<ServiceName, number>;
  postgresPort: number;
  kafkaPort: number;
  kafkaControllerPort: number;
  /** Begin from empty databases and an empty broker. */
  fresh: boolean;
  /** The services' and gateway's NODE_ENV. */
  nodeEnv: 'development' | 'test' | 'production';
}

/**
 * `XHHT_PORT_OFFSET` shifts every port of a profile, so two checkouts on one machine can each run
 * their own stack (and test run) side by side.
 */
const portOffset = Number(process.env.XHHT_PORT_OFFSET ?? 0) || 0;

/** HTTP ports that fetch() refuses to connect to (the WHATWG Fetch "bad ports"), in the range a stack uses. */
const FETCH_BLOCKED_PORTS = new Set([
  1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Refuses a profile whose gateway or service ports fetch() would refuse: every call would fail as a network error. */
function refuseBlockedPorts(base: StackProfile, profile: StackProfile): void {
  const blocked = [profile.gatewayPort, ...Object.values(profile.servicePorts)].filter((port) => FETCH_BLOCKED_PORTS.has(port));
  if (blocked.length > 0) {
    throw new Error(
      `XHHT_PORT_OFFSET=${portOffset} puts the ${base.name} stack on port ${blocked.join(', ')}, which fetch() refuses; choose another offset`,
    );
  }
}

/** The profile with the offset applied; `check` refuses blocked ports at load (the bench profile is checked when started). */
function shifted(p: StackProfile, check = true): StackProfile {
  const profile = {
    ...p,
    gatewayPort: p.gatewayPort + portOffset,
    servicePorts: Object.fromEntries(Object.entries(p.servicePorts).map(([k, v]) => [k, v + portOffset])) as StackProfile['servicePorts'],
    postgresPort: p.postgresPort + portOffset,
    kafkaPort: p.kafkaPort + portOffset,
    kafkaControllerPort: p.kafkaControllerPort + portOffset,
  };
  if (check) refuseBlockedPorts(p, profile);
  return profile;
}

const BASE_PROFILES: Record<StackProfile['name'], StackProfile> = {
  dev: {
    name: 'dev',
    gatewayPort: 4000,
    servicePorts: { org: 4001, recognition: 4002, reporting: 4003, awards: 4004 },
    postgresPort: 54330,
    kafkaPort: 29092,
    kafkaControllerPort: 29093,
    fresh: false,
    nodeEnv: 'development',
  },
  test: {
    name: 'test',
    gatewayPort: 4100,
    servicePorts: { org: 4101, recognition: 4102, reporting: 4103, awards: 4104 },
    postgresPort: 54340,
    kafkaPort: 39092,
    kafkaControllerPort: 39093,
    fresh: true,
    nodeEnv: 'test',
  },
  // benchmarks that need the whole system: the test profile's ports + 1000, like every benchmark
  bench: {
    name: 'bench',
    gatewayPort: 5100,
    servicePorts: { org: 5101, recognition: 5102, reporting: 5103, awards: 5104 },
    postgresPort: 55340,
    kafkaPort: 40092,
    kafkaControllerPort: 40093,
    fresh: true,
    // measured as deployed: graphql-js and Apollo skip their development checks in production
    nodeEnv: 'production',
  },
};

export const PROFILES: Record<StackProfile['name'], StackProfile> = {
  dev: shifted(BASE_PROFILES.dev),
  test: shifted(BASE_PROFILES.test),
  bench: shifted(BASE_PROFILES.bench, false),
};

/** What a running stack wrote down for other processes (tests, the token command). */
export interface StackState {
  profile: StackProfile['name'];
  gatewayUrl: string;
  serviceUrls: Record<ServiceName, string>;
  brokers: string[];
  /** Set when the stack runs its own broker, so it can be stopped and restarted. */
  localKafka?: { dataDir: string; libsDir: string; port: number; controllerPort: number };
  databaseUrls: Record<ServiceName, string>;
  jwtSecret: string;
  gatewaySecret: string;
  pidFiles: Record<string, string>;
}

export const dataRoot = (profile: StackProfile['name']) => path.join(repoRoot, '.data', profile);
/** Where a local stack's recognition service keeps uploaded evidence files (EVIDENCE_DIR). */
export const evidenceDir = (profile: StackProfile['name']) => path.join(dataRoot(profile), 'evidence');
export const stateFile = (profile: StackProfile['name']) => path.join(dataRoot(profile), 'stack.json');
export const kafkaLibsDir = () => path.join(repoRoot, '.data', 'kafka-libs');

export function readStackState(profile: StackProfile['name']): StackState {
  const file = stateFile(profile);
  if (!existsSync(file)) throw new Error(`No running ${profile} stack (${file} is missing)`);
  return JSON.parse(readFileSync(file, 'utf8')) as StackState;
}

interface LocalSecrets {
  jwtSecret: string;
  gatewaySecret: string;
}

/** The secrets a local stack of this profile generated earlier, if any. */
export function storedSecrets(profile: StackProfile['name']): LocalSecrets | undefined {
  const file = path.join(dataRoot(profile), 'secrets.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets) : undefined;
}

/** The local KRaft broker a profile runs when KAFKA_BROKERS is not set. */
export function localBrokerSettings(profile: StackProfile): NonNullable<StackState['localKafka']> {
  return {
    dataDir: path.join(dataRoot(profile.name), 'kafka'),
    libsDir: kafkaLibsDir(),
    port: profile.kafkaPort,
    controllerPort: profile.kafkaControllerPort,
  };
}

/** Secrets for a local stack: from the environment, else generated once and kept in its data folder. */
function localSecrets(profile: StackProfile['name']): LocalSecrets {
  const stored = storedSecrets(profile);
  const secrets = {
    jwtSecret: process.env.JWT_SECRET ?? stored?.jwtSecret ?? randomBytes(32).toString('hex'),
    gatewaySecret: process.env.GATEWAY_SECRET ?? stored?.gatewaySecret ?? randomBytes(32).toString('hex'),
  };
  writeFileSync(path.join(dataRoot(profile), 'secrets.json'), JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export interface StackHandle {
  state: StackState;
  stop(): Promise<void>;
}

/**
 * Brings up the whole local system on real parts: PostgreSQL (embedded, or POSTGRES_URL, or one
 * <SERVICE>_DATABASE_URL per service), Kafka (local KRaft broker, or KAFKA_BROKERS), the four
 * services and the gateway.
 */
export async function startStack(profile: StackProfile, logger: Logger): Promise<StackHandle> {
  refuseBlockedPorts(profile, profile);
  const root = dataRoot(profile.name);
  const logs = path.join(root, 'logs');
  mkdirSync(logs, { recursive: true });
  const secrets = localSecrets(profile.name);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err: Error) => logger.warn({ err: err.message }, 'stop failed'));
    rmSync(stateFile(profile.name), { force: true });
  };

  try {
    // PostgreSQL
    const dbName = (s: ServiceName) => (profile.name === 'dev' ? `xhht_${s}` : `xhht_${profile.name}_${s}`);
    const explicitUrls = Object.fromEntries(SERVICES.map((s) => [s, process.env[`${s.toUpperCase()}_DATABASE_URL`]]));
    let pg: PostgresHandle | undefined;
    let serverUrl = process.env.POSTGRES_URL;
    if (!serverUrl && SERVICES.some((s) => !explicitUrls[s])) {
      const dataDir = path.join(root, 'postgres');
      if (profile.fresh) rmSync(dataDir, { recursive: true, force: true });
      pg = await startEmbeddedPostgres({ dataDir, port: profile.postgresPort, logger });
      stops.push(() => pg!.stop());
      serverUrl = pg.serverUrl;
    }
    const databaseUrls = Object.fromEntries(SERVICES.map((s) => [s, explicitUrls[s] ?? databaseUrl(serverUrl!, dbName(s))])) as Record<
      ServiceName,
      string
    >;
    if (profile.fresh && serverUrl && !pg) {
      await dropDatabases(serverUrl, SERVICES.filter((s) => !explicitUrls[s]).map(dbName));
    }
    logger.info({ postgres: pg ? `embedded on port ${profile.postgresPort}` : 'external' }, 'postgres ready');

    // Kafka
    let brokers = parseBrokerList(process.env.KAFKA_BROKERS ?? '');
    let localKafka: StackState['localKafka'];
    if (brokers.length === 0) {
      localKafka = localBrokerSettings(profile);
      const broker = new KafkaBroker({ ...localKafka, logger });
      await broker.stop();
      if (profile.fresh) broker.wipe();
      await broker.start();
      stops.push(() => broker.stop());
      brokers = broker.brokers;
    }
    const kafka = createKafka({ clientId: 'xhht-stack', brokers, logger });
    await ensureTopics(
      kafka,
      SERVICES.flatMap((s) => topicsOwnedBy(s)),
    );
    logger.info({ brokers }, 'kafka ready, topics created');

    // services, then the gateway
    const pidFiles: Record<string, string> = {};
    const baseEnv = {
      ...process.env,
      NODE_ENV: profile.nodeEnv,
      KAFKA_BROKERS: brokers.join(','),
      JWT_SECRET: secrets.jwtSecret,
      GATEWAY_SECRET: secrets.gatewaySecret,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    };
    // files kept on disk belong with the databases: a fresh profile starts without them too
    if (profile.fresh) rmSync(evidenceDir(profile.name), { recursive: true, force: true });
    const serviceEnv: Partial<Record<ServiceName, Record<string, string>>> = {
      recognition: { EVIDENCE_DIR: process.env.EVIDENCE_DIR ?? evidenceDir(profile.name) },
    };
    const processes = SERVICES.map((s) => {
      pidFiles[s] = path.join(root, `${s}.pid`);
      return new SupervisedProcess(
        {
          name: s,
          script: path.join(repoRoot, 'services', s, 'dist', 'main.js'),
          env: { ...baseEnv, PORT: String(profile.servicePorts[s]), DATABASE_URL: databaseUrls[s], ...serviceEnv[s] },
          logFile: path.join(logs, `${s}.log`),
          pidFile: pidFiles[s]!,
          readyUrl: `http://127.0.0.1:${profile.servicePorts[s]}/readyz`,
        },
        logger,
      );
    });
    for (const p of processes) {
      p.start();
      stops.push(() => p.stop());
    }
    await Promise.all(processes.map((p) => p.waitReady()));
    const serviceUrls = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${profile.servicePorts[s]}/graphql`])) as Record<
      ServiceName,
      string
    >;
    pidFiles.gateway = path.join(root, 'gateway.pid');
    const gateway = new SupervisedProcess(
      {
        name: 'gateway',
        script: path.join(repoRoot, 'gateway', 'dist', 'main.js'),
        env: {
          ...baseEnv,
          PORT: String(profile.gatewayPort),
          ORG_URL: serviceUrls.org,
          RECOGNITION_URL: serviceUrls.recognition,
          REPORTING_URL: serviceUrls.reporting,
          AWARDS_URL: serviceUrls.awards,
        },
        logFile: path.join(logs, 'gateway.log'),
        pidFile: pidFiles.gateway,
        readyUrl: `http://127.0.0.1:${profile.gatewayPort}/readyz`,
      },
      logger,
    );
    gateway.start();
    stops.push(() => gateway.stop());
    await gateway.waitReady();

    const state: StackState = {
      profile: profile.name,
      gatewayUrl: `http://localhost:${profile.gatewayPort}/graphql`,
      serviceUrls,
      brokers,
      localKafka,
      databaseUrls,
      ...secrets,
      pidFiles,
    };
    writeFileSync(stateFile(profile.name), JSON.stringify(state, null, 2), { mode: 0o600 });
    return { state, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
