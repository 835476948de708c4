import type { EntityManager } from '@mikro-orm/postgresql';
import { ReplicaScope, forbidden, type AuthContext, type Role } from '@xhht/infra';

/** Roles with a unit scope that review, verify or decide on assessments, and so read their evidence. */
export const EVIDENCE_REVIEW_ROLES: Role[] = [
  'STEERING_COMMITTEE',
  'EDUCATION_OFFICER',
  'ASSOCIATION_OFFICER',
  'COMMUNE_OFFICER',
  'COUNCIL_MEMBER',
  'EMULATION_OFFICER',
];

/** Roles that self-assess or review, and so may upload evidence (SYSTEM_ADMIN always may). */
export const EVIDENCE_UPLOAD_ROLES: Role[] = [
  'COMMUNE_OFFICER',
  'ORGANIZATION_OFFICER',
  'CITIZEN',
  'ASSOCIATION_OFFICER',
  'EDUCATION_OFFICER',
];

/**
 * Whether the caller may read an evidence file: its uploader; a system administrator; a reviewer
 * whose scope covers the unit of an assessment citing it; the citizen who is the subject of such
 * an assessment, or the officer of the organization that is.
 */
export async function mayReadEvidence(
  em: EntityManager,
  auth: AuthContext,
  file: { id: string; uploadedBy: string },
  scope: ReplicaScope = new ReplicaScope(em),
): Promise<boolean> {
  if (auth.isSystemAdmin || file.uploadedBy === auth.subject) return true;
  const citing = await em.execute<{ subject_kind: string; subject_id: string; subject_unit_id: string }[]>(
    `select distinct a.subject_kind, a.subject_id, a.subject_unit_id
       from assessment_evidence ae join assessment a on a.id = ae.assessment_id
      where ae.evidence_file_id = ?`,
    [file.id],
  );
  if (citing.length === 0) return false;
  const persons = new Set(auth.personIds);
  const organizations = new Set(
    auth.principal.roles.flatMap((g) => (g.role === 'ORGANIZATION_OFFICER' && g.organizationId ? [g.organizationId] : [])),
  );
  const ownSubject = citing.some(
    (a) =>
      (a.subject_kind === 'PERSON' && persons.has(a.subject_id)) || (a.subject_kind === 'ORGANIZATION' && organizations.has(a.subject_id)),
  );
  if (ownSubject) return true;
  for (const a of citing) {
    if (await scope.covers(auth, EVIDENCE_REVIEW_ROLES, [a.subject_unit_id])) return true;
  }
  return false;
}

export async function requireReadEvidence(
  em: EntityManager,
  auth: AuthContext,
  file: { id: string; uploadedBy: string },
  scope?: ReplicaScope,
): Promise<void> {
  if (!(await mayReadEvidence(em, auth, file, scope))) {
    throw forbidden('Bạn không có quyền xem tệp minh chứng này', 'EVIDENCE_FORBIDDEN');
  }
}
