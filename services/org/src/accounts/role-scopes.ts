import type { Role } from '@xhht/infra';
import type { AdminUnitKind } from '../admin-units/admin-unit-kind';

/** What a role is scoped to (domain.md §6), and for unit scopes, the kinds of unit it may be held over. */
export type RoleScope =
  { kind: 'NONE' } | { kind: 'UNIT'; unitKinds: readonly AdminUnitKind[] } | { kind: 'ORGANIZATION' } | { kind: 'PERSON' };

const ABOVE_VILLAGE = ['NATION', 'PROVINCE', 'DISTRICT', 'COMMUNE'] as const;

export const ROLE_SCOPES: Record<Role, RoleScope> = {
  SYSTEM_ADMIN: { kind: 'NONE' },
  // steering committees and emulation councils exist at every level down to the commune
  STEERING_COMMITTEE: { kind: 'UNIT', unitKinds: ABOVE_VILLAGE },
  EDUCATION_OFFICER: { kind: 'UNIT', unitKinds: ABOVE_VILLAGE },
  ASSOCIATION_OFFICER: { kind: 'UNIT', unitKinds: ABOVE_VILLAGE },
  // a commune officer acts for the commune (or one of its villages), never above it
  COMMUNE_OFFICER: { kind: 'UNIT', unitKinds: ['COMMUNE', 'VILLAGE'] },
  ORGANIZATION_OFFICER: { kind: 'ORGANIZATION' },
  COUNCIL_MEMBER: { kind: 'UNIT', unitKinds: ABOVE_VILLAGE },
  EMULATION_OFFICER: { kind: 'UNIT', unitKinds: ABOVE_VILLAGE },
  // a citizen acts only on their own self-assessment: the grant names the person they are
  CITIZEN: { kind: 'PERSON' },
  PARTNER: { kind: 'NONE' },
};
