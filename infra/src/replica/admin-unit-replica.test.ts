import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initORM, type MikroORM } from '../db/orm';
import { newEvent, type CloudEvent } from '../events/cloud-event';
import { createLogger } from '../logger';
import { stack } from '../../../test/support/stack';
import {
  ADMIN_UNIT_CHANGE_EVENTS,
  ADMIN_UNIT_CREATED,
  adminUnitReplicaHandlers,
  adminUnitReplicaMigrations,
  applyAdminUnitEvents,
  type AdminUnitChangedData,
  type AdminUnitSnapshot,
  type AdminUnitVersionData,
} from './admin-unit-replica';

/** The hierarchy replica on the test stack's real PostgreSQL: any delivery order and any redelivery converge. */
describe('admin unit replica', () => {
  let orm: MikroORM;
  const apply = async (event: CloudEvent) => {
    const em = orm.em.fork() as unknown as EntityManager;
    const handler = adminUnitReplicaHandlers[event.type]!;
    await em.transactional((tx) => (typeof handler === 'function' ? handler : handler.one)(event, tx as EntityManager));
  };
  const state = async (id: string) => ({
    unit: await orm.em.fork().execute(`select name, valid_to::text from admin_unit_replica where id = ?`, [id]),
    versions: await orm.em
      .fork()
      .execute(`select valid_from::text, valid_to::text, name from admin_unit_version_replica where unit_id = ? order by valid_from`, [id]),
    changes: await orm.em.fork().execute(`select count(*)::int as n from admin_unit_change_unit_replica where unit_id = ?`, [id]),
  });

  beforeAll(async () => {
    const url = new URL(stack().databaseUrls.org);
    url.pathname = '/xhht_test_replica';
    orm = await initORM({
      databaseUrl: url.toString(),
      entities: [],
      migrations: adminUnitReplicaMigrations,
      logger: createLogger('replica-test', 'silent'),
    });
  });
  afterAll(() => orm?.close(true));

  it('keeps the newer state when an older event arrives late, and applies a redelivery once', async () => {
    const id = randomUUID();
    const created = newEvent(
      ADMIN_UNIT_CREATED,
      id,
      {
        id,
        code: `R${Date.now()}`,
        name: 'Xã Cũ',
        kind: 'COMMUNE',
        subtype: 'COMMUNE',
        parentId: null,
        validFrom: '2020-01-01',
        validTo: null,
      },
      new Date('2026-01-01T00:00:00Z'),
    );
    const changeId = randomUUID();
    const renamed = newEvent<AdminUnitChangedData>(
      ADMIN_UNIT_CHANGE_EVENTS.RENAME,
      changeId,
      {
        change: {
          id: changeId,
          type: 'RENAME',
          effectiveDate: '2026-01-01',
          legalBasis: 'Nghị quyết thử',
          note: null,
          units: [{ unitId: id, role: 'SUBJECT', partial: false }],
        },
        units: [
          {
            id,
            code: created.data.code,
            validFrom: '2020-01-01',
            validTo: null,
            versions: [
              { validFrom: '2020-01-01', validTo: '2025-12-31', name: 'Xã Cũ', kind: 'COMMUNE', subtype: 'COMMUNE', parentId: null },
              { validFrom: '2026-01-01', validTo: null, name: 'Xã Mới', kind: 'COMMUNE', subtype: 'COMMUNE', parentId: null },
            ],
          },
        ],
      },
      new Date('2026-02-01T00:00:00Z'),
    );

    await apply(renamed);
    await apply(created); // older, delivered late from another partition
    await apply(renamed); // redelivered
    expect(await state(id)).toEqual({
      unit: [{ name: 'Xã Mới', valid_to: null }],
      versions: [
        { valid_from: '2020-01-01', valid_to: '2025-12-31', name: 'Xã Cũ' },
        { valid_from: '2026-01-01', valid_to: null, name: 'Xã Mới' },
      ],
      changes: [{ n: 1 }],
    });
  });

  it('applies many events with one batch exactly as one by one, in order: newest state per unit, the later one on equal times', async () => {
    const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
    const scenario = () => {
      const a = randomUUID();
      const b = randomUUID();
      const version = (name: string, validFrom = '2020-01-01', parentId: string | null = null): AdminUnitVersionData => ({
        validFrom,
        validTo: null,
        name,
        kind: 'COMMUNE',
        subtype: 'COMMUNE',
        parentId,
      });
      const created = (id: string, name: string, time: string) =>
        newEvent(
          ADMIN_UNIT_CREATED,
          id,
          {
            id,
            code: `B${id.slice(0, 6)}`,
            name,
            kind: 'COMMUNE',
            subtype: 'COMMUNE',
            parentId: null,
            validFrom: '2020-01-01',
            validTo: null,
          },
          at(time),
        );
      const changed = (type: keyof typeof ADMIN_UNIT_CHANGE_EVENTS, time: string, units: AdminUnitSnapshot[]) => {
        const changeId = randomUUID();
        return newEvent<AdminUnitChangedData>(
          ADMIN_UNIT_CHANGE_EVENTS[type],
          changeId,
          {
            change: {
              id: changeId,
              type,
              effectiveDate: '2026-01-01',
              legalBasis: 'Nghị quyết thử',
              note: null,
              units: units.map((u) => ({ unitId: u.id, role: 'SUBJECT' as const, partial: false })),
            },
            units,
          },
          at(time),
        );
      };
      const snapshot = (id: string, ...versions: AdminUnitVersionData[]): AdminUnitSnapshot => ({
        id,
        code: `B${id.slice(0, 6)}`,
        validFrom: '2020-01-01',
        validTo: null,
        versions,
      });
      const renameA = changed('RENAME', '2026-03-01', [
        snapshot(a, { ...version('A cũ'), validTo: '2025-12-31' }, version('A mới', '2026-01-01')),
      ]);
      const events = [
        created(a, 'A cũ', '2026-01-01'),
        renameA,
        created(a, 'A cũ', '2026-01-01'), // redelivered late: older than the rename
        created(b, 'B', '2026-02-01'),
        changed('MOVE', '2026-02-01', [snapshot(b, version('B dời', '2020-01-01', a))]), // same time as B's creation, later: wins
        changed('MERGE', '2026-02-01', [snapshot(a, version('A gộp')), snapshot(b, version('B gộp', '2020-01-01', a))]), // older than A's rename; B again
        renameA, // redelivered
      ];
      return { ids: [a, b], events };
    };
    const stateOf = async (ids: string[]) => Promise.all(ids.map(state));

    const oneByOne = scenario();
    for (const event of oneByOne.events) await apply(event);
    const batched = scenario();
    await (orm.em.fork() as unknown as EntityManager).transactional((tx) => applyAdminUnitEvents(batched.events, tx as EntityManager));

    const expected = [
      {
        unit: [{ name: 'A mới', valid_to: null }],
        versions: [
          { valid_from: '2020-01-01', valid_to: '2025-12-31', name: 'A cũ' },
          { valid_from: '2026-01-01', valid_to: null, name: 'A mới' },
        ],
        changes: [{ n: 2 }],
      },
      {
        unit: [{ name: 'B gộp', valid_to: null }],
        versions: [{ valid_from: '2020-01-01', valid_to: null, name: 'B gộp' }],
        changes: [{ n: 2 }],
      },
    ];
    expect(await stateOf(oneByOne.ids)).toEqual(expected);
    expect(await stateOf(batched.ids)).toEqual(expected);
  });
});
