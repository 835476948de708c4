import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { Client } from 'pg';
import {
  KafkaBroker,
  createLogger,
  readStackState,
  signGatewayCredential,
  signUserToken,
  type RoleGrant,
  type StackState,
} from '@xhht/infra';

/** The test stack started by global-setup, as other processes see it. */
export const stack = (): StackState => readStackState('test');

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; messageKey?: string; field?: string[] } }[];
}

export async function tokenFor(roles: RoleGrant[], subject = `test-${randomUUID()}`): Promise<string> {
  return signUserToken({ subject, roles }, stack().jwtSecret, '1h');
}
export const adminToken = () => tokenFor([{ role: 'SYSTEM_ADMIN' }], 'test-admin');
/** A citizen's token: the CITIZEN grant names the person the caller is (`tokenFor` takes `personId` in any grant). */
export const citizenTokenFor = (personId: string, subject?: string) => tokenFor([{ role: 'CITIZEN', personId }], subject);

/** A GraphQL call through the gateway (or any URL), as a frontend makes it. */
export async function gql<T = Record<string, any>>(
  query: string,
  variables: Record<string, unknown> = {},
  opts: { token?: string | null; url?: string; headers?: Record<string, string> } = {},
): Promise<GqlResponse<T>> {
  const token = opts.token === undefined ? await adminToken() : opts.token;
  const res = await fetch(opts.url ?? stack().gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...opts.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResponse<T>, 'status'>;
  return { status: res.status, ...body };
}

export const gatewayCredential = () => signGatewayCredential(stack().gatewaySecret);

/** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function kafka(): Kafka {
  return new Kafka({ clientId: `xhht-test-${randomUUID().slice(0, 8)}`, brokers: stack().brokers, logLevel: logLevel.NOTHING });
}

/** The local broker of the test stack, to stop and start it as an outage would. */
export function localBroker(): KafkaBroker {
  const k = stack().localKafka;
  if (!k) throw new Error('this test needs the stack to run its own Kafka broker (KAFKA_BROKERS unset)');
  return new KafkaBroker({ ...k, logger: createLogger('test-kafka', 'warn') });
}

/** Collects every message of a topic from the beginning, until stopped. */
export async function collectTopic(topic: string): Promise<{ messages: KafkaMessage[]; stop: () => Promise<void> }> {
  const consumer: Consumer = kafka().consumer({ groupId: `xhht-test-${randomUUID()}` });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  return { messages, stop: () => consumer.disconnect() };
}

/** Runs SQL against one service's own database (for asserting "nothing was written"). */
export async function sql<R extends Record<string, unknown>>(
  service: keyof StackState['databaseUrls'],
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new Client({ connectionString: stack().databaseUrls[service] });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as R[];
  } finally {
    await client.end();
  }
}

let codeSeq = 0;
/** An official-looking code unique to this test run. */
export const uniqueCode = () => `T${Date.now().toString(36).slice(-5)}${(codeSeq++).toString(36)}`.toUpperCase();

export const CREATE_UNIT = `mutation Create($input: CreateAdminUnitInput!) {
  createAdminUnit(input: $input) { adminUnit { id code name kind kindName validFrom parent { id } } }
}`;

export async function createUnit(input: Record<string, unknown>, token?: string) {
  const res = await gql<{ createAdminUnit: { adminUnit: { id: string; code: string; name: string } } }>(CREATE_UNIT, { input }, { token });
  if (res.errors) throw new Error(`createAdminUnit failed: ${JSON.stringify(res.errors)}`);
  return res.data!.createAdminUnit.adminUnit;
}

/** A fresh nation (named for the suite, so suites never share one) with one province below it, from 2025-07-01. */
export async function createProvince(nationName: string, provinceName = 'Tỉnh Lạng Sơn') {
  const nation = await createUnit({ code: uniqueCode(), name: nationName, kind: 'NATION', validFrom: '2025-07-01' });
  const province = await createUnit({
    code: uniqueCode(),
    name: provinceName,
    kind: 'PROVINCE',
    parentId: nation.id,
    validFrom: '2025-07-01',
  });
  return { nation, province };
}
