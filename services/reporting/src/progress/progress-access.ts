import type { AuthContext, ReplicaScope, Role } from '@xhht/infra';

/** Who reads a unit's progress: officers and members whose scope covers it; partners read every unit's (figures only). */
export const PROGRESS_READER_ROLES: readonly Role[] = [
  'STEERING_COMMITTEE',
  'EDUCATION_OFFICER',
  'ASSOCIATION_OFFICER',
  'COMMUNE_OFFICER',
  'COUNCIL_MEMBER',
  'EMULATION_OFFICER',
];

/** Refuses (FORBIDDEN OUTSIDE_SCOPE) unless the caller may read the progress of every one of the units. */
export async function requireProgressReader(auth: AuthContext, scope: ReplicaScope, unitIds: readonly string[]): Promise<void> {
  if (auth.hasRole('PARTNER')) return;
  await scope.requireCovers(auth, PROGRESS_READER_ROLES, unitIds);
}
