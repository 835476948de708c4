import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, uuidArray } from '@xhht/infra';
import { RecognitionAuthorityRule } from './authority-rule.entity';

export interface AuthorityRuleChange {
  ruleId: string;
  action: 'ADDED' | 'ENDED';
  changedAt: string;
  changedBy: string;
  validFrom: string;
  validTo: string | null;
  previousValidTo: string | null;
}

/** Per-request loaders of the authority module. */
export const authorityLoaders = (em: EntityManager) => ({
  authorityRule: new DataLoader<string, RecognitionAuthorityRule | null>(async (ids) => {
    const rows = await em.find(RecognitionAuthorityRule, { id: { $in: [...ids] } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }),
  /** The audit trail of each rule, oldest first. */
  authorityRuleChanges: new DataLoader<string, AuthorityRuleChange[]>(async (ids) => {
    const rows = await rawQuery<AuthorityRuleChange[]>(
      em,
      `select rule_id as "ruleId", action, to_char(changed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "changedAt",
              changed_by as "changedBy", after->>'validFrom' as "validFrom", after->>'validTo' as "validTo",
              before->>'validTo' as "previousValidTo"
       from recognition_authority_rule_change where rule_id = any(?::uuid[]) order by changed_at, id`,
      [uuidArray(ids)],
    );
    const byRule = new Map<string, AuthorityRuleChange[]>();
    for (const r of rows) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), r]);
    return ids.map((id) => byRule.get(id) ?? []);
  }),
});
