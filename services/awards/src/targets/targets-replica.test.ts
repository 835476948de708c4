import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EventCatalog, type CloudEvent, type MikroORM } from '@xhht/infra';
import { awardsTestOrm } from '../../../../test/support/awards';
import { targetsJudged as judged } from '../../../../test/support/targets';
import { applyTargetsJudgements, targetsReplicaHandlers, targetsResultsOf } from './targets-replica';

/** The replica of reporting's judgements on the test stack's real PostgreSQL, through the consumer's handlers. */
describe("awards' replica of years judged against targets", () => {
  let orm: MikroORM;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const catalog: EventCatalog = new EventCatalog();
  /** Each event in its own transaction, as the inbox applies them one by one. */
  const applyOneByOne = async (...events: CloudEvent[]) => {
    for (const event of events) {
      catalog.validate(event);
      const handler = targetsReplicaHandlers[event.type]!;
      await fork().transactional((tx) => (typeof handler === 'function' ? handler : handler.one)(event, tx as EntityManager));
    }
  };
  const stored = async (unitId: string) =>
    ((await targetsResultsOf(fork(), [unitId])).get(unitId) ?? []).map((r) => [
      r.year,
      r.version,
      r.outcome,
      r.indicators[0]?.numerator,
      r.asOf,
    ]);

  beforeAll(async () => {
    orm = await awardsTestOrm('xhht_test_awards_targets');
  });
  afterAll(() => orm?.close(true));

  it('keeps the latest judgement of each year, whatever order and however often the events come', async () => {
    const unit = randomUUID();
    const [v1, v2, v3] = [judged(unit, 1, 3), judged(unit, 2, 2), judged(unit, 3, 4)];
    const other = judged(unit, 1, 1, 2024);
    // the newest first, then the older ones and a redelivery: nothing moves back
    await applyOneByOne(v3, v1, other, v2, v3, v1);
    expect(await stored(unit)).toEqual([
      [2024, 1, 'NOT_MET', 1, '2025-01-15'],
      [2025, 3, 'MET', 4, '2026-03-15'],
    ]);

    // in order, the same row
    const inOrder = randomUUID();
    await applyOneByOne(...[1, 2, 3].map((v, i) => judged(inOrder, v, [3, 2, 4][i]!)));
    expect((await stored(inOrder))[0]).toEqual([2025, 3, 'MET', 4, '2026-03-15']);
  });

  it('applies a batch with duplicates and reordering like the events one by one', async () => {
    const unit = randomUUID();
    const [v1, v2] = [judged(unit, 1, 3), judged(unit, 2, 1)];
    await fork().transactional((tx) => applyTargetsJudgements([v2, v1, v2, v1], tx as EntityManager));
    expect(await stored(unit)).toEqual([[2025, 2, 'NOT_MET', 1, '2026-02-15']]);
    await fork().transactional((tx) => applyTargetsJudgements([v1], tx as EntityManager));
    expect(await stored(unit)).toEqual([[2025, 2, 'NOT_MET', 1, '2026-02-15']]);
  });
});
