import type { EntityManager } from '@mikro-orm/postgresql';
import {
  DomainError,
  EventCatalog,
  applyAdminUnitEvents,
  adminUnitReplicaMigrations,
  createLogger,
  initORM,
  type CloudEvent,
  type MikroORM,
} from '@xhht/infra';
import { databaseUrl, dropDatabases } from '@xhht/infra/dist/stack/postgres';
import { stack } from '../../../../test/support/stack';
import { migrations } from '../migrations';
import { currentSuccessors, findViewsByCode } from '../admin-units/admin-unit.repository';
import { buildReferencePlan } from './clean';
import { importReferencePlan, referenceId } from './import-units';
import { loadReferenceSource } from './source';

/**
 * `npm run import:units` on real PostgreSQL, into databases of its own on the test stack's server
 * (the shared org database stays small, and no service consumes these events).
 */
const serverUrl = () => databaseUrl(stack().databaseUrls.org, 'postgres');
const DB = 'xhht_test_reference';
const logger = createLogger('reference-test', 'silent');
const plan = buildReferencePlan(loadReferenceSource());
const catalog = new EventCatalog();

async function freshOrm(name: string, withMigrations = migrations): Promise<MikroORM> {
  await dropDatabases(serverUrl(), [name]);
  return initORM({ databaseUrl: databaseUrl(serverUrl(), name), entities: [], migrations: withMigrations, poolMax: 2, logger });
}
const count = async (orm: MikroORM, sql: string): Promise<number> => Number((await orm.em.fork().execute<{ n: string }[]>(sql))[0]!.n);

describe('importing the reference hierarchy', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await freshOrm(DB);
  });
  afterAll(async () => {
    await orm?.close(true);
    await dropDatabases(serverUrl(), [DB, `${DB}_replica`, `${DB}_taken`]);
  });

  it('loads both structures with their changes and events, and a re-run writes nothing', async () => {
    const first = await importReferencePlan(orm.em.fork(), catalog, plan, 'test');
    expect(first).toEqual({ unitsWritten: plan.units.length, changesWritten: plan.changes.length, events: expect.any(Number) });
    expect(await count(orm, 'select count(*) as n from outbox')).toBe(first.events);

    const second = await importReferencePlan(orm.em.fork(), catalog, plan, 'test');
    expect(second).toEqual({ unitsWritten: 0, changesWritten: 0, events: 0 });
    expect(await count(orm, 'select count(*) as n from outbox')).toBe(first.events);
    expect(await count(orm, 'select count(*) as n from admin_unit')).toBe(plan.units.length);
  });

  it('answers by date: Hà Giang exists until 2025-06-30, and from 2025-07-01 it is found under Tuyên Quang', async () => {
    const em = orm.em.fork() as unknown as EntityManager;
    const before = await findViewsByCode(em, ['02', '08'], '2025-06-30');
    expect(before.get('02')).toMatchObject({ name: 'Tỉnh Hà Giang', kind: 'PROVINCE' });
    expect(before.get('08')).toMatchObject({ name: 'Tỉnh Tuyên Quang' });
    const after = await findViewsByCode(em, ['02', '08'], '2025-07-01');
    expect(after.get('02')).toBeUndefined();
    expect(await currentSuccessors(em, before.get('02')!.id, '2025-07-01')).toEqual([after.get('08')!.id]);
    // the level counts as of each day
    const atDay = (d: string, kind: string) =>
      count(
        orm,
        `select count(*) as n from admin_unit_version where kind = '${kind}' and valid_from <= '${d}' and (valid_to is null or valid_to >= '${d}')`,
      );
    expect([await atDay('2025-06-30', 'PROVINCE'), await atDay('2025-06-30', 'DISTRICT'), await atDay('2025-06-30', 'COMMUNE')]).toEqual([
      63, 691, 10034,
    ]);
    expect([await atDay('2025-07-01', 'PROVINCE'), await atDay('2025-07-01', 'DISTRICT'), await atDay('2025-07-01', 'COMMUNE')]).toEqual([
      34, 0, 3321,
    ]);
  });

  it('lets a consumer rebuild the same hierarchy from the events alone', async () => {
    const replica = await freshOrm(`${DB}_replica`, adminUnitReplicaMigrations);
    try {
      const events = await orm.em.fork().execute<{ payload: CloudEvent }[]>('select payload from outbox order by created_at, id');
      // newest first, in runs as a consumer takes them from the topic: it must converge whatever the order
      const reversed = events.map((e) => e.payload).reverse();
      for (let i = 0; i < reversed.length; i += 500) {
        await replica.em.fork().transactional((tx) => applyAdminUnitEvents(reversed.slice(i, i + 500), tx as unknown as EntityManager));
      }
      const shape = 'unit_id::text, valid_from::text, valid_to::text, name, kind, subtype, parent_id::text';
      const org = await orm.em.fork().execute(`select ${shape} from admin_unit_version order by 1, 2`);
      const rebuilt = await replica.em.fork().execute(`select ${shape} from admin_unit_version_replica order by 1, 2`);
      expect(rebuilt.length).toBe(org.length);
      expect(rebuilt).toEqual(org);
    } finally {
      await replica.close(true);
    }
  });

  it('refuses, writing nothing, when a code is already held by a unit it did not write', async () => {
    const taken = await freshOrm(`${DB}_taken`);
    try {
      await taken.em
        .fork()
        .execute(
          `insert into admin_unit (id, code, valid_from, created_by) values ('${referenceId('hand-made')}', '05977', '2025-07-01', 'test')`,
        );
      const refused = await importReferencePlan(taken.em.fork(), catalog, plan, 'test').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).extensions.code).toBe('CONFLICT');
      expect((refused as DomainError).message).toMatch(/05977/);
      expect(await count(taken, 'select count(*) as n from admin_unit')).toBe(1);
      expect(await count(taken, 'select count(*) as n from outbox')).toBe(0);
    } finally {
      await taken.close(true);
    }
  });
});
