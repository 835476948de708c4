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
  type AdminUnitChangedData,
} from './admin-unit-replica';

/** The hierarchy replica on the test stack's real PostgreSQL: any delivery order and any redelivery converge. */
describe('admin unit replica', () => {
  let orm: MikroORM;
  const apply = async (event: CloudEvent) => {
    const em = orm.em.fork() as unknown as EntityManager;
    await em.transactional((tx) => adminUnitReplicaHandlers[event.type]!(event, tx as EntityManager));
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
});
