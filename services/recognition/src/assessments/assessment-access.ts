import { forbidden, isUuid, type AuthContext, type ReplicaScope, type Role } from '@xhht/infra';

/**
 * Who may do what with an assessment (domain.md §6):
 * - self-assessment (register, score, attach evidence, submit): a commune officer whose scope
 *   covers the subject's unit; an organization officer for their own organization; a citizen for
 *   their own person;
 * - review (take, score, return, approve, reject): the Study Promotion Association for families,
 *   clans, citizens and village communities, the education department for communes and above and
 *   for units — in scope;
 * - reading: any of those, and steering-committee members in scope.
 * System administrators may do anything.
 */
export interface AssessmentTarget {
  title: string;
  subjectLevel: string;
  subjectKind: string;
  subjectId: string;
  subjectUnitId: string;
}

export const SELF_ASSESSMENT_ROLES: Role[] = ['COMMUNE_OFFICER'];

/** The role that reviews a title at a subject level. */
export function reviewRoleFor(title: string, subjectLevel: string): Role {
  if (title === 'LEARNING_UNIT') return 'EDUCATION_OFFICER';
  if (title === 'LEARNING_COMMUNITY' && subjectLevel !== 'VILLAGE') return 'EDUCATION_OFFICER';
  return 'ASSOCIATION_OFFICER';
}

/** The reviewing role in SQL, over a recognition_cycle aliased `c`. */
export const REVIEW_ROLE_SQL = `case when c.title = 'LEARNING_UNIT' or (c.title = 'LEARNING_COMMUNITY' and c.subject_level <> 'VILLAGE')
  then 'EDUCATION_OFFICER' else 'ASSOCIATION_OFFICER' end`;

const ownOrganizations = (auth: AuthContext) =>
  auth.principal.roles.flatMap((g) => (g.role === 'ORGANIZATION_OFFICER' && g.organizationId ? [g.organizationId] : []));

function isOwnSubject(auth: AuthContext, t: Pick<AssessmentTarget, 'subjectKind' | 'subjectId'>): boolean {
  if (t.subjectKind === 'ORGANIZATION') return ownOrganizations(auth).includes(t.subjectId);
  if (t.subjectKind === 'PERSON') return auth.personIds.includes(t.subjectId);
  return false;
}

export async function maySelfAssess(auth: AuthContext, scope: ReplicaScope, t: AssessmentTarget): Promise<boolean> {
  if (auth.isSystemAdmin || isOwnSubject(auth, t)) return true;
  return scope.covers(auth, SELF_ASSESSMENT_ROLES, [t.subjectUnitId]);
}

export async function mayReview(auth: AuthContext, scope: ReplicaScope, t: AssessmentTarget): Promise<boolean> {
  if (auth.isSystemAdmin) return true;
  return scope.covers(auth, [reviewRoleFor(t.title, t.subjectLevel)], [t.subjectUnitId]);
}

export async function mayRead(auth: AuthContext, scope: ReplicaScope, t: AssessmentTarget): Promise<boolean> {
  if (auth.isSystemAdmin || isOwnSubject(auth, t)) return true;
  return scope.covers(auth, ['COMMUNE_OFFICER', 'STEERING_COMMITTEE', reviewRoleFor(t.title, t.subjectLevel)], [t.subjectUnitId]);
}

const outsideScope = (what: string) => forbidden(`Hồ sơ đánh giá nằm ngoài phạm vi của bạn: ${what}`, 'OUTSIDE_SCOPE');

export async function requireSelfAssess(auth: AuthContext, scope: ReplicaScope, t: AssessmentTarget): Promise<void> {
  if (!(await maySelfAssess(auth, scope, t)))
    throw outsideScope('tự đánh giá do cán bộ cấp xã quản lý đối tượng, cán bộ của chính cơ quan hoặc chính công dân thực hiện');
}

export async function requireReview(auth: AuthContext, scope: ReplicaScope, t: AssessmentTarget): Promise<void> {
  if (!(await mayReview(auth, scope, t))) {
    const role = reviewRoleFor(t.title, t.subjectLevel);
    throw outsideScope(
      `thẩm định do ${role === 'EDUCATION_OFFICER' ? 'cán bộ ngành Giáo dục' : 'cán bộ Hội Khuyến học'} có phạm vi chứa đối tượng thực hiện`,
    );
  }
}

export async function requireRead(auth: AuthContext, scope: ReplicaScope, t: AssessmentTarget): Promise<void> {
  if (!(await mayRead(auth, scope, t))) throw outsideScope('bạn không được xem hồ sơ này');
}

/** The SQL condition (and parameters) for the assessments the caller may read, over `assessment a` join `recognition_cycle c`. */
export async function readableCondition(auth: AuthContext, scope: ReplicaScope): Promise<{ sql: string; params: unknown[] } | null> {
  if (auth.isSystemAdmin) return null;
  const units = async (roles: Role[]) => {
    const u = await scope.coveredUnits(auth, roles);
    return u === 'ALL' ? [] : [...u];
  };
  const arr = (ids: string[]) => `{${ids.join(',')}}`;
  const [any, assoc, edu] = await Promise.all([
    units(['COMMUNE_OFFICER', 'STEERING_COMMITTEE']),
    units(['ASSOCIATION_OFFICER']),
    units(['EDUCATION_OFFICER']),
  ]);
  return {
    sql: `(a.subject_unit_id = any(?::uuid[])
      or (${REVIEW_ROLE_SQL} = 'ASSOCIATION_OFFICER' and a.subject_unit_id = any(?::uuid[]))
      or (${REVIEW_ROLE_SQL} = 'EDUCATION_OFFICER' and a.subject_unit_id = any(?::uuid[]))
      or (a.subject_kind = 'ORGANIZATION' and a.subject_id = any(?::uuid[]))
      or (a.subject_kind = 'PERSON' and a.subject_id = any(?::uuid[])))`,
    params: [arr(any), arr(assoc), arr(edu), arr(ownOrganizations(auth).filter(isUuid)), arr(auth.personIds.filter(isUuid))],
  };
}
