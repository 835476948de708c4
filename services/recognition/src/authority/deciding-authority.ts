import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, forbidden, ROLES, type AuthContext, type ReplicaScope, type Role } from '@xhht/infra';
import { LEARNING_TITLES, TITLE_SUBJECT_LEVELS } from '../titles/learning-titles';
import { RecognitionAuthorityRule, type DecidingLevel } from './authority-rule.entity';
import { REFORM_DATE } from './shipped-authority-rules';

export { DECIDING_LEVELS, RecognitionAuthorityRule, RecognitionAuthorityRuleSchema } from './authority-rule.entity';
export { SHIPPED_AUTHORITY_RULES, REFORM_DATE } from './shipped-authority-rules';
export type { DecidingLevel };

/** A deciding-authority rule: which role at which level decides `title` for `subjectLevel`, from validFrom to validTo (inclusive). */
export interface AuthorityRule {
  id: string;
  title: string;
  subjectLevel: string;
  decidingLevel: DecidingLevel;
  decidingRole: Role;
  authorityName: string;
  legalBasis: string;
  validFrom: string;
  validTo: string | null;
}

export { TITLE_SUBJECT_LEVELS };
export const SUBJECT_LEVELS = ['HOUSEHOLD', 'CLAN', 'PERSON', 'ORGANIZATION', 'VILLAGE', 'COMMUNE', 'DISTRICT', 'PROVINCE'] as const;

export const SUBJECT_LEVEL_NAMES: Record<string, string> = {
  HOUSEHOLD: 'hộ gia đình',
  CLAN: 'dòng họ',
  PERSON: 'công dân',
  ORGANIZATION: 'cơ quan, đơn vị',
  VILLAGE: 'cấp thôn',
  COMMUNE: 'cấp xã',
  DISTRICT: 'cấp huyện',
  PROVINCE: 'cấp tỉnh',
};
export const DECIDING_LEVEL_NAMES: Record<DecidingLevel, string> = {
  COMMUNE: 'cấp xã',
  DISTRICT: 'cấp huyện',
  PROVINCE: 'cấp tỉnh',
  NATION: 'cấp trung ương',
};

export const titleName = (title: string) => LEARNING_TITLES.find((t) => t.title === title)?.name ?? title;
/** e.g. "Cộng đồng học tập cấp xã", "Gia đình học tập". */
export const titleAtLevel = (title: string, subjectLevel: string) =>
  title === 'LEARNING_COMMUNITY' ? `${titleName(title)} ${SUBJECT_LEVEL_NAMES[subjectLevel] ?? subjectLevel}` : titleName(title);

/**
 * Null when the title is assessed at this subject level on `asOf`, else why not (Vietnamese).
 * District Learning Communities exist only before 2025-07-01 (no district level afterwards).
 */
export function subjectLevelProblem(title: string, subjectLevel: string, asOf: string): string | null {
  const levels = TITLE_SUBJECT_LEVELS[title];
  if (!levels) return `Danh hiệu không hợp lệ: ${title}`;
  if (!levels.includes(subjectLevel)) {
    return `${titleName(title)} chỉ xét cho: ${levels.map((l) => SUBJECT_LEVEL_NAMES[l] ?? l).join(', ')}`;
  }
  if (subjectLevel === 'DISTRICT' && asOf >= REFORM_DATE) return 'Từ ngày 01/7/2025 không còn cấp huyện';
  return null;
}

/** The rule in force on `asOf` (inclusive dates), or null. Pure: the same answer as the table gives. */
export function decidingAuthority<R extends AuthorityRule>(
  rules: readonly R[],
  title: string,
  subjectLevel: string,
  asOf: string,
): R | null {
  let found: R | null = null;
  for (const r of rules) {
    if (r.title !== title || r.subjectLevel !== subjectLevel) continue;
    if (r.validFrom > asOf || (r.validTo !== null && r.validTo < asOf)) continue;
    // rules never overlap (exclusion constraint); the latest start wins should a caller pass overlapping ones
    if (!found || r.validFrom > found.validFrom) found = r;
  }
  return found;
}

/** Who decides, in words, e.g. "Chủ tịch UBND cấp tỉnh (vai trò Cán bộ ngành Giáo dục của đơn vị cấp tỉnh)". */
export const describeAuthority = (rule: AuthorityRule) =>
  `${rule.authorityName} (vai trò ${ROLES[rule.decidingRole] ?? rule.decidingRole} của đơn vị ${DECIDING_LEVEL_NAMES[rule.decidingLevel]})`;

/** The rule in force for (title, subjectLevel) on `asOf`, or null. */
export async function findAuthorityRule(
  em: EntityManager,
  title: string,
  subjectLevel: string,
  asOf: string,
): Promise<AuthorityRule | null> {
  return em.findOne(
    RecognitionAuthorityRule,
    { title, subjectLevel, validFrom: { $lte: asOf }, $or: [{ validTo: null }, { validTo: { $gte: asOf } }] },
    { orderBy: { validFrom: 'desc' } },
  );
}

/**
 * The rule in force on `asOf`, when the caller may decide under it for `decidingUnitId`:
 * the unit's kind on `asOf` is the rule's deciding level, and the caller holds the rule's deciding
 * role on that unit or above it (administrators always). Otherwise FORBIDDEN NOT_DECIDING_AUTHORITY
 * naming who decides; BAD_USER_INPUT NO_AUTHORITY_RULE when no rule is in force.
 */
export async function requireDecidingAuthority(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  args: { title: string; subjectLevel: string; decidingUnitId: string; asOf: string },
): Promise<AuthorityRule> {
  const what = titleAtLevel(args.title, args.subjectLevel);
  const rule = await findAuthorityRule(em, args.title, args.subjectLevel, args.asOf);
  if (!rule) {
    throw badInput(`Không có quy định thẩm quyền công nhận ${what} áp dụng ngày ${args.asOf}`, 'NO_AUTHORITY_RULE', undefined, {
      title: args.title,
      subjectLevel: args.subjectLevel,
      asOf: args.asOf,
    });
  }
  const kind = (await scope.unitKinds([args.decidingUnitId], args.asOf)).get(args.decidingUnitId);
  if (kind !== rule.decidingLevel) {
    throw forbidden(
      `${describeAuthority(rule)} quyết định công nhận ${what}; đơn vị đã chọn không phải đơn vị ${DECIDING_LEVEL_NAMES[rule.decidingLevel]} vào ngày ${args.asOf}`,
      'NOT_DECIDING_AUTHORITY',
    );
  }
  if (!(await scope.covers(auth, [rule.decidingRole], [args.decidingUnitId]))) {
    throw forbidden(
      `Chỉ ${describeAuthority(rule)} có phạm vi gồm đơn vị này mới được quyết định công nhận ${what}`,
      'NOT_DECIDING_AUTHORITY',
    );
  }
  return rule;
}
