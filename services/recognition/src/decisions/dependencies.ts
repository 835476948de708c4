import type { EntityManager } from '@mikro-orm/postgresql';
import { forbidden, rawQuery, todayInVietnam, type AuthContext, type Role } from '@xhht/infra';

/*
 * Temporary stand-ins for ReplicaScope (main) and requireDecidingAuthority (authority branch),
 * replaced by re-exports once those land.
 */
export class ReplicaScope {
  private readonly subtrees = new Map<string, Promise<string[]>>();
  constructor(private readonly em: EntityManager) {}

  subtree(unitId: string, asOf: string = todayInVietnam()): Promise<string[]> {
    const key = `${unitId}|${asOf}`;
    let p = this.subtrees.get(key);
    if (!p) {
      p = rawQuery<{ id: string }[]>(
        this.em,
        `with recursive t(id) as (select ?::uuid union select v.unit_id from admin_unit_version_replica v join t on v.parent_id = t.id)
         select id from t`,
        [unitId],
      ).then((rows) => rows.map((r) => r.id));
      this.subtrees.set(key, p);
    }
    return p;
  }

  async coveredUnits(auth: AuthContext, roles: Role[]): Promise<Set<string> | 'ALL'> {
    if (auth.isSystemAdmin) return 'ALL';
    const out = new Set<string>();
    for (const g of auth.principal.roles)
      if (g.unitId && roles.includes(g.role)) for (const id of await this.subtree(g.unitId)) out.add(id);
    return out;
  }
}

export interface AuthorityRule {
  id: string;
  decidingRole: Role;
  authorityName: string;
}

export async function requireDecidingAuthority(
  _em: EntityManager,
  auth: AuthContext,
  _scope: ReplicaScope,
  args: { title: string; subjectLevel: string; decidingUnitId: string; asOf: string },
): Promise<AuthorityRule> {
  const rule: AuthorityRule = { id: 'interim', decidingRole: 'EDUCATION_OFFICER', authorityName: 'UBND' };
  if (auth.isSystemAdmin) return rule;
  if (auth.principal.roles.some((g) => g.role === rule.decidingRole && g.unitId === args.decidingUnitId)) return rule;
  throw forbidden('Chỉ cấp có thẩm quyền mới được ra quyết định công nhận', 'NOT_DECIDING_AUTHORITY');
}
