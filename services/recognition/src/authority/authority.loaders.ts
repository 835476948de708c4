import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { RecognitionAuthorityRule } from './authority-rule.entity';

/** Per-request loaders of the authority module. */
export const authorityLoaders = (em: EntityManager) => ({
  authorityRule: new DataLoader<string, RecognitionAuthorityRule | null>(async (ids) => {
    const rows = await em.find(RecognitionAuthorityRule, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }),
});
