import type { EntityManager } from '@mikro-orm/postgresql';
import { forbidden, todayInVietnam, type AuthContext, type Role } from '@xhht/infra';
import { isWithinScope, subtreeWithHistory } from '../admin-units/admin-unit.repository';

/**
 * Who may read and change participants (domain.md §6), answered once per request.
 *
 * - System administrators: everything.
 * - A role granted on a unit covers that unit and everything below it as of today, including
 *   units merged into them (a participant registered in a merged unit is covered by the successor).
 * - Personal data (persons, households) is readable by any unit-scoped role covering it, by
 *   an organization officer for persons whose workplace is its organization, and by a citizen for
 *   their own person (the CITIZEN grant's person).
 * - COMMUNE_OFFICER registers and edits households, persons, clans, organizations and the unit's
 *   bodies in its scope; ORGANIZATION_OFFICER edits its own organization and its staff.
 * - Organizations, clans and bodies are public.
 *
 * Reads compare against the set of units each grant covers (one query per grant per request,
 * whatever the number of rows); writes ask `isWithinScope` for the few units a change touches.
 * Both are cached for the request.
 */
export class ParticipantScope {
  private readonly today = todayInVietnam();
  private readonly subtrees = new Map<string, Promise<Set<string>>>();
  private readonly within = new Map<string, Promise<boolean>>();

  constructor(private readonly em: EntityManager) {}

  private subtree(unitId: string): Promise<Set<string>> {
    let p = this.subtrees.get(unitId);
    if (!p) {
      p = subtreeWithHistory(this.em, unitId, this.today).then((ids) => new Set(ids));
      this.subtrees.set(unitId, p);
    }
    return p;
  }

  private isWithin(unitId: string, scopeUnitId: string): Promise<boolean> {
    const key = `${unitId}|${scopeUnitId}`;
    let p = this.within.get(key);
    if (!p) {
      p = isWithinScope(this.em, unitId, scopeUnitId, this.today);
      this.within.set(key, p);
    }
    return p;
  }

  /** Units whose personal data the caller may read, or 'ALL' for administrators. */
  async readableUnits(auth: AuthContext): Promise<Set<string> | 'ALL'> {
    if (auth.isSystemAdmin) return 'ALL';
    const out = new Set<string>();
    for (const g of auth.principal.roles) if (g.unitId) for (const id of await this.subtree(g.unitId)) out.add(id);
    return out;
  }

  /** Organizations whose staff the caller may read and edit as ORGANIZATION_OFFICER. */
  staffOrganizations(auth: AuthContext): string[] {
    return auth.principal.roles.filter((g) => g.role === 'ORGANIZATION_OFFICER' && g.organizationId).map((g) => g.organizationId!);
  }

  async canReadHousehold(auth: AuthContext, h: { unitId: string }): Promise<boolean> {
    const units = await this.readableUnits(auth);
    return units === 'ALL' || units.has(h.unitId);
  }

  async canReadPerson(auth: AuthContext, p: { id: string; unitId: string; workplaceId?: string | null }): Promise<boolean> {
    if (auth.personIds.includes(p.id)) return true;
    if (p.workplaceId && this.staffOrganizations(auth).includes(p.workplaceId)) return true;
    const units = await this.readableUnits(auth);
    return units === 'ALL' || units.has(p.unitId);
  }

  /** True when the caller holds `role` on a unit whose scope contains every one of `unitIds`. */
  async holdsOver(auth: AuthContext, role: Role, unitIds: readonly string[]): Promise<boolean> {
    if (auth.isSystemAdmin) return true;
    const scopes = auth.principal.roles.filter((g) => g.role === role && g.unitId).map((g) => g.unitId!);
    for (const unitId of new Set(unitIds)) {
      let ok = false;
      for (const s of scopes) if (await this.isWithin(unitId, s)) ok = true;
      if (!ok) return false;
    }
    return true;
  }

  /** Refuses unless a commune officer (or administrator) covers every unit the change touches. */
  async requireOfficerOver(auth: AuthContext, unitIds: readonly string[]): Promise<void> {
    if (!(await this.holdsOver(auth, 'COMMUNE_OFFICER', unitIds))) {
      throw forbidden('Đối tượng nằm ngoài phạm vi quản lý của bạn', 'OUTSIDE_SCOPE');
    }
  }
}

export const readForbidden = () => forbidden('Bạn không có quyền xem thông tin cá nhân này', 'PERSONAL_DATA_OUTSIDE_SCOPE');
