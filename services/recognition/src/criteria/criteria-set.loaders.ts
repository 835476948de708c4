import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CriteriaSet } from './criteria-set.entity';

/** Per-request loaders of criteria sets: by id, and every version of a family by code. */
export const criteriaLoaders = (em: EntityManager) => ({
  criteriaSet: new DataLoader<string, CriteriaSet | null>(async (ids) => {
    const rows = await em.find(CriteriaSet, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }),
  criteriaSetVersions: new DataLoader<string, CriteriaSet[]>(async (codes) => {
    const rows = await em.find(CriteriaSet, { code: { $in: [...codes] } }, { orderBy: { version: 'desc' } });
    return codes.map((c) => rows.filter((r) => r.code === c));
  }),
});
