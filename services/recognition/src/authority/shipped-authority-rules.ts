import type { Role } from '@xhht/infra';
import type { DecidingLevel } from './authority-rule.entity';
import type { AuthorityRule } from './deciding-authority';

/** A rule as shipped: the columns of recognition_authority_rule without the audit fields. */
export type ShippedAuthorityRule = AuthorityRule;

/** The day the two-tier local government took effect: district level abolished (Luật Tổ chức chính quyền địa phương 2025). */
export const REFORM_DATE = '2025-07-01';
/** The last day of the three-tier structure. */
export const LAST_DAY_BEFORE_REFORM = '2025-06-30';
/** The shipped configuration starts with the movement period 2023–2030 (earlier years are outside the system). */
export const CONFIGURATION_START = '2023-01-01';

export const AUTHORITY_NAMES: Record<DecidingLevel, string> = {
  COMMUNE: 'Chủ tịch UBND cấp xã',
  DISTRICT: 'Chủ tịch UBND cấp huyện',
  PROVINCE: 'Chủ tịch UBND cấp tỉnh',
  NATION: 'Bộ trưởng Bộ Giáo dục và Đào tạo',
};

const QD387 = 'Quyết định 387/QĐ-TTg (Chương trình khuyến học, khuyến tài, xây dựng xã hội học tập giai đoạn 2021–2030)';
const ASSOCIATION = 'hướng dẫn đánh giá, công nhận của Hội Khuyến học Việt Nam';
const TT24 = 'Thông tư 24/2023/TT-BGDĐT (đơn vị học tập)';
const TT25 = 'Thông tư 25/2023/TT-BGDĐT (cộng đồng học tập cấp xã, huyện, tỉnh)';
const REFORM =
  'Luật Tổ chức chính quyền địa phương 2025 (chính quyền địa phương hai cấp, không còn cấp huyện từ 01/7/2025); Nghị quyết 202/2025/QH15 (sắp xếp đơn vị hành chính cấp tỉnh)';

/**
 * Who decides which title for which subject level, before and after the reform of 2025-07-01.
 *
 * The formal authority is always a person (the chair of a People's Committee, or the Minister);
 * `decidingRole` is the system role that records the decision on that authority's behalf, held on
 * a unit of `decidingLevel` (domain.md §6):
 * - ASSOCIATION_OFFICER (the commune Study Promotion Association, which assesses and proposes) for
 *   the titles the commune chair recognises on the Association's criteria: Learning Family, Learning
 *   Clan, village Learning Community and Learning Citizen;
 * - EDUCATION_OFFICER (the education department or the commune's culture–society office advising the
 *   chair) for Learning Communities of commune level and up (Circular 25/2023) and Learning Units
 *   (Circular 24/2023).
 *
 * Before the reform the district chair recognised commune Learning Communities and Learning Units
 * (units managed by communes and districts), the province chair district Learning Communities. Since
 * 2025-07-01 there is no district level: Learning Units (the organisations a commune manages) go to
 * the commune chair, commune Learning Communities to the province chair; district communities are
 * no longer assessed. Province Learning Communities are recognised by the Minister throughout.
 * Family, clan, village community and citizen stay with the commune (the post-merger commune since
 * 2025-07-01, hence a new row with the reform as legal basis).
 *
 * Simplification: one rule per (title, subject level), so Learning Units of organisations managed by
 * a province or ministry are not in the shipped table; administrators record such rules themselves
 * for a subject level of their own.
 */
export const SHIPPED_AUTHORITY_RULES: readonly ShippedAuthorityRule[] = [
  // ---- until 2025-06-30: commune, district and province authorities ----
  pre('01', 'LEARNING_FAMILY', 'HOUSEHOLD', 'COMMUNE', 'ASSOCIATION_OFFICER', `${QD387}; ${ASSOCIATION}`),
  pre('02', 'LEARNING_CLAN', 'CLAN', 'COMMUNE', 'ASSOCIATION_OFFICER', `${QD387}; ${ASSOCIATION}`),
  pre(
    '03',
    'LEARNING_CITIZEN',
    'PERSON',
    'COMMUNE',
    'ASSOCIATION_OFFICER',
    `${QD387}; Quyết định 244/QĐ-KHVN (2022) của Hội Khuyến học Việt Nam`,
  ),
  pre('04', 'LEARNING_COMMUNITY', 'VILLAGE', 'COMMUNE', 'ASSOCIATION_OFFICER', `${QD387}; ${ASSOCIATION}`),
  pre('05', 'LEARNING_COMMUNITY', 'COMMUNE', 'DISTRICT', 'EDUCATION_OFFICER', `${QD387}; ${TT25}`),
  pre('06', 'LEARNING_COMMUNITY', 'DISTRICT', 'PROVINCE', 'EDUCATION_OFFICER', `${QD387}; ${TT25}`),
  pre('07', 'LEARNING_COMMUNITY', 'PROVINCE', 'NATION', 'EDUCATION_OFFICER', `${QD387}; ${TT25}`),
  pre('08', 'LEARNING_UNIT', 'ORGANIZATION', 'DISTRICT', 'EDUCATION_OFFICER', `${QD387}; ${TT24}`),
  // ---- from 2025-07-01: two-tier local government ----
  post('11', 'LEARNING_FAMILY', 'HOUSEHOLD', 'COMMUNE', 'ASSOCIATION_OFFICER', `${QD387}; ${ASSOCIATION}; ${REFORM}`),
  post('12', 'LEARNING_CLAN', 'CLAN', 'COMMUNE', 'ASSOCIATION_OFFICER', `${QD387}; ${ASSOCIATION}; ${REFORM}`),
  post(
    '13',
    'LEARNING_CITIZEN',
    'PERSON',
    'COMMUNE',
    'ASSOCIATION_OFFICER',
    `${QD387}; Quyết định 244/QĐ-KHVN (2022) của Hội Khuyến học Việt Nam; ${REFORM}`,
  ),
  post('14', 'LEARNING_COMMUNITY', 'VILLAGE', 'COMMUNE', 'ASSOCIATION_OFFICER', `${QD387}; ${ASSOCIATION}; ${REFORM}`),
  post('15', 'LEARNING_COMMUNITY', 'COMMUNE', 'PROVINCE', 'EDUCATION_OFFICER', `${QD387}; ${TT25}; ${REFORM}`),
  post('17', 'LEARNING_COMMUNITY', 'PROVINCE', 'NATION', 'EDUCATION_OFFICER', `${QD387}; ${TT25}; ${REFORM}`),
  post('18', 'LEARNING_UNIT', 'ORGANIZATION', 'COMMUNE', 'EDUCATION_OFFICER', `${QD387}; ${TT24}; ${REFORM}`),
];

function rule(
  n: string,
  title: string,
  subjectLevel: string,
  decidingLevel: DecidingLevel,
  decidingRole: Role,
  legalBasis: string,
  validFrom: string,
  validTo: string | null,
): ShippedAuthorityRule {
  return {
    id: `7e5c0a1e-0000-4000-8000-0000000000${n}`,
    title,
    subjectLevel,
    decidingLevel,
    decidingRole,
    authorityName: AUTHORITY_NAMES[decidingLevel],
    legalBasis,
    validFrom,
    validTo,
  };
}

function pre(n: string, title: string, level: string, decidingLevel: DecidingLevel, role: Role, basis: string) {
  return rule(n, title, level, decidingLevel, role, basis, CONFIGURATION_START, LAST_DAY_BEFORE_REFORM);
}

function post(n: string, title: string, level: string, decidingLevel: DecidingLevel, role: Role, basis: string) {
  return rule(n, title, level, decidingLevel, role, basis, REFORM_DATE, null);
}
