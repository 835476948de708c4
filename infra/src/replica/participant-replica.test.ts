import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initORM, type MikroORM } from '../db/orm';
import { newEvent, type CloudEvent } from '../events/cloud-event';
import { createLogger } from '../logger';
import { AuthContext } from '../auth/auth-context';
import { stack } from '../../../test/support/stack';
import { communeMergeEvents } from '../../../test/support/hierarchy-events';
import { adminUnitReplicaMigrations, applyAdminUnitEvents } from './admin-unit-replica';
import { applyParticipantEvents, findParticipants, participantReplicaHandlers, participantReplicaMigrations } from './participant-replica';
import { ReplicaScope } from './replica-scope';

/** `n` fresh ids, typed as a tuple so destructuring needs no checks. */
const uuids = <N extends number>(n: N) =>
  Array.from({ length: n }, () => randomUUID()) as string[] & { [K in 0 | 1 | 2 | 3 | 4 | 5 | 6]: string };

/** The participant replica and scope checks on the test stack's real PostgreSQL. */
describe('participant replica and replica scope', () => {
  let orm: MikroORM;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const inTx = (work: (em: EntityManager) => Promise<void>) => fork().transactional((tx) => work(tx as EntityManager));
  const applyOne = (event: CloudEvent) =>
    inTx(async (em) => {
      const handler = participantReplicaHandlers[event.type]!;
      await (typeof handler === 'function' ? handler : handler.one)(event, em);
    });

  beforeAll(async () => {
    const url = new URL(stack().databaseUrls.org);
    url.pathname = '/xhht_test_participant_replica';
    orm = await initORM({
      databaseUrl: url.toString(),
      entities: [],
      migrations: [...adminUnitReplicaMigrations, ...participantReplicaMigrations],
      logger: createLogger('replica-test', 'silent'),
    });
  });
  afterAll(() => orm?.close(true));

  it('keeps the newest state of each participant, whatever the delivery order, and applies a redelivery once', async () => {
    const [v1, v2, hh] = uuids(3);
    const registered = newEvent('vn.xhht.org.household.registered.v1', hh, { id: hh, unitId: v1, code: 'HH-1' }, at('2026-01-01'));
    const moved = newEvent(
      'vn.xhht.org.household.moved.v1',
      hh,
      { id: hh, unitId: v2, code: 'HH-1', previousUnitId: v1 },
      at('2026-02-01'),
    );
    await applyOne(moved);
    await applyOne(registered); // older, delivered late
    await applyOne(moved); // redelivered
    const found = await findParticipants(fork(), [hh, randomUUID()]);
    expect(found.size).toBe(1);
    expect(found.get(hh)).toMatchObject({ kind: 'HOUSEHOLD', unitId: v2, code: 'HH-1', name: null });
  });

  it('applies a batch like one by one, and replaces a clan member list with the newest one', async () => {
    const [commune, clan, h1, h2, h3, org, person] = uuids(7);
    const clanEvent = (verb: string, households: string[], time: string) =>
      newEvent(
        `vn.xhht.org.clan.${verb}.v1`,
        clan,
        {
          id: clan,
          unitId: commune,
          code: 'DH-1',
          name: 'Dòng họ Nguyễn',
          branches: [],
          households: households.map((householdId) => ({ householdId, branchId: null })),
        },
        at(time),
      );
    const events = [
      clanEvent('registered', [h1, h2], '2026-01-01'),
      newEvent(
        'vn.xhht.org.organization.registered.v1',
        org,
        {
          id: org,
          unitId: commune,
          code: 'TH-1',
          name: 'Trường Tiểu học',
          type: 'SCHOOL',
          parentId: null,
          validFrom: '2020-01-01',
          validTo: null,
        },
        at('2026-01-01'),
      ),
      newEvent(
        'vn.xhht.org.person.registered.v1',
        person,
        {
          id: person,
          unitId: commune,
          code: 'CD-1',
          birthYear: 1980,
          sex: 'FEMALE',
          occupationalGroup: 'TEACHER',
          householdId: h1,
          workplaceId: org,
        },
        at('2026-01-01'),
      ),
      clanEvent('updated', [h2, h3], '2026-03-01'),
      clanEvent('registered', [h1, h2], '2026-01-01'), // redelivered late
    ];
    await inTx((em) => applyParticipantEvents(events, em));
    const found = await findParticipants(fork(), [clan, org, person]);
    expect(found.get(clan)).toMatchObject({ kind: 'CLAN', name: 'Dòng họ Nguyễn' });
    expect(found.get(org)).toMatchObject({ kind: 'ORGANIZATION', name: 'Trường Tiểu học', organizationType: 'SCHOOL' });
    expect(found.get(person)).toMatchObject({
      kind: 'PERSON',
      householdId: h1,
      workplaceId: org,
      occupationalGroup: 'TEACHER',
      name: null,
    });
    const members = await fork().execute<{ household_id: string }[]>(
      'select household_id from clan_household_replica where clan_id = ? order by household_id',
      [clan],
    );
    expect(members.map((m) => m.household_id)).toEqual([h2, h3].sort());
  });

  it('covers a merged commune and its villages from the successor, and not from the predecessor after the merge', async () => {
    const [province, a, b, c, village] = uuids(5);
    await inTx((em) => applyAdminUnitEvents(communeMergeEvents({ province, a, b, c, village }), em));
    const officer = (unitId: string) => new AuthContext({ subject: 'u', roles: [{ role: 'COMMUNE_OFFICER', unitId }] });
    const scope = new ReplicaScope(fork());
    expect(await scope.covers(officer(c), ['COMMUNE_OFFICER'], [village, a, b, c])).toBe(true);
    expect(await scope.covers(officer(province), ['COMMUNE_OFFICER'], [village, a, b, c])).toBe(true);
    expect(await scope.covers(officer(b), ['COMMUNE_OFFICER'], [village])).toBe(false);
    expect(await scope.covers(officer(c), ['ASSOCIATION_OFFICER'], [village])).toBe(false);
    await expect(scope.requireCovers(officer(b), ['COMMUNE_OFFICER'], [village])).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    expect(
      await scope.covers(new AuthContext({ subject: 'admin', roles: [{ role: 'SYSTEM_ADMIN' }] }), ['COMMUNE_OFFICER'], [village]),
    ).toBe(true);
    // many subtrees in one statement give what one subtree at a time gives
    const many = await scope.subtreesOf([c, province, b], '2026-01-01');
    for (const id of [c, province, b]) expect([...many.get(id)!].sort()).toEqual((await scope.subtree(id, '2026-01-01')).sort());
    expect([...many.get(c)!].sort()).toEqual([a, b, c, village].sort());
    const covered = await scope.coveredUnits(officer(c), ['COMMUNE_OFFICER']);
    expect(covered !== 'ALL' && [...covered].sort()).toEqual([a, b, c, village].sort());

    expect(await scope.enclosingUnit(village, 'COMMUNE', '2025-06-30')).toBe(a);
    expect(await scope.enclosingUnit(village, 'COMMUNE', '2026-01-01')).toBe(c);
    expect(await scope.enclosingUnit(a, 'COMMUNE', '2026-01-01')).toBe(c); // a merged commune lives on in its successor
    expect(await scope.enclosingUnit(village, 'PROVINCE', '2026-01-01')).toBe(province);
    expect(Object.fromEntries(await scope.unitKinds([a, c, village], '2025-06-30'))).toEqual({ [a]: 'COMMUNE', [village]: 'VILLAGE' });
  });
});
