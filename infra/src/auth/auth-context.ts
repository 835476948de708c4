import { forbidden } from '../errors';
import type { Role } from './roles';
import type { Principal } from './tokens';

/** What a resolver knows about the caller. Scope checks against the hierarchy build on this. */
export class AuthContext {
  constructor(readonly principal: Principal) {}

  get subject(): string {
    return this.principal.subject;
  }

  hasRole(role: Role): boolean {
    return this.principal.roles.some((g) => g.role === role);
  }

  /** The persons the caller acts for as a citizen (their own self-assessment), from CITIZEN grants. */
  get personIds(): string[] {
    return [...new Set(this.principal.roles.flatMap((g) => (g.role === 'CITIZEN' && g.personId ? [g.personId] : [])))];
  }

  get isSystemAdmin(): boolean {
    return this.hasRole('SYSTEM_ADMIN');
  }

  /** Refuses with FORBIDDEN unless the caller holds one of the roles. */
  requireRole(...roles: Role[]): void {
    if (this.isSystemAdmin) return;
    if (!roles.some((r) => this.hasRole(r))) {
      throw forbidden(`Thao tác này cần một trong các vai trò: ${roles.join(', ')}`, 'ROLE_REQUIRED');
    }
  }
}
