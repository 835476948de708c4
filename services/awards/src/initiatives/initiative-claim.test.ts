import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainError, MikroORM } from '@xhht/infra';
import { awardsTestOrm, draftInitiative, initiativeInput, recognisedInitiative, seedArea } from '../../../../test/support/initiatives';
import { claimInitiativeForAward } from './initiative.domain';
import { loadInitiatives } from './initiative.repository';

/** "An initiative grounds at most one award", on real PostgreSQL. */
describe('claimInitiativeForAward', () => {
  let orm: MikroORM;
  let area: Awaited<ReturnType<typeof seedArea>>;
  const fork = () => orm.em.fork() as unknown as EntityManager;
  const claim = (id: string, awardRef: string) => fork().transactional((tx) => claimInitiativeForAward(tx as EntityManager, id, awardRef));
  const refusal = async (p: Promise<unknown>) => {
    const err = (await p.then(
      () => null,
      (e: unknown) => e,
    )) as DomainError | null;
    expect(err).not.toBeNull();
    return { code: err!.extensions.code, messageKey: err!.extensions.messageKey };
  };
  const groundsOf = async (id: string) => (await loadInitiatives(fork(), [id])).get(id)!.groundsAward;
  const recognised = (title: string) => recognisedInitiative(orm, initiativeInput(area.communeA, { title }), area.province);

  beforeAll(async () => {
    orm = await awardsTestOrm('xhht_test_awards_initiative_claim');
    area = await fork().transactional((tx) => seedArea(tx as EntityManager));
  });
  afterAll(() => orm?.close(true));

  it('sets the award once and refuses a second claim, leaving the first', async () => {
    const id = await recognised('Câu lạc bộ đọc sách thôn Nà Chuông');
    const award = randomUUID();
    const claimed = await claim(id, award);
    expect(claimed.groundsAward).toBe(award);
    expect(claimed.awardedAt).toBeInstanceOf(Date);

    expect(await refusal(claim(id, randomUUID()))).toEqual({ code: 'CONFLICT', messageKey: 'INITIATIVE_ALREADY_AWARDED' });
    expect(await refusal(claim(id, award))).toEqual({ code: 'CONFLICT', messageKey: 'INITIATIVE_ALREADY_AWARDED' });
    expect(await groundsOf(id)).toBe(award);
  });

  it('lets exactly one of two concurrent claims win', async () => {
    const id = await recognised('Lớp xóa mù chữ cho phụ nữ dân tộc');
    const [a, b] = [randomUUID(), randomUUID()];
    const results = await Promise.allSettled([claim(id, a), claim(id, b)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as DomainError).extensions.messageKey).toBe('INITIATIVE_ALREADY_AWARDED');
    expect([a, b]).toContain(await groundsOf(id));
  });

  it('refuses an initiative not recognised, an unknown one, and an empty award reference', async () => {
    const draft = await draftInitiative(orm, initiativeInput(area.communeA, { title: 'Bản nháp' }));
    expect(await refusal(claim(draft, randomUUID()))).toEqual({ code: 'CONFLICT', messageKey: 'INITIATIVE_NOT_RECOGNISED' });
    expect(await groundsOf(draft)).toBeNull();
    expect(await refusal(claim(randomUUID(), randomUUID()))).toEqual({ code: 'NOT_FOUND', messageKey: 'INITIATIVE_NOT_FOUND' });
    const id = await recognised('Tủ sách pháp luật');
    expect(await refusal(claim(id, '   '))).toEqual({ code: 'BAD_USER_INPUT', messageKey: 'INVALID_AWARD_REF' });
    expect(await groundsOf(id)).toBeNull();
  });
});
