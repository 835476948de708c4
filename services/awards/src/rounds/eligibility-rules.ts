import { z } from 'zod';
import type { RecipientKind } from '../forms/award-forms';
import { LEARNING_TITLES, LEARNING_TITLE_NAMES, TITLES_WITH_LEVELS, type LearningTitle } from '../recognitions/learning-titles';
import type { RecognitionLevel } from '../recognitions/recognition-replica';

/** What a nominee is: the participants recognition knows, and administrative units (villages, communes, provinces). */
export const NOMINEE_KINDS = ['PERSON', 'HOUSEHOLD', 'CLAN', 'ORGANIZATION', 'ADMIN_UNIT'] as const;
export type NomineeKind = (typeof NOMINEE_KINDS)[number];
export const NOMINEE_KIND_NAMES: Record<NomineeKind, string> = {
  PERSON: 'cá nhân',
  HOUSEHOLD: 'hộ gia đình',
  CLAN: 'dòng họ',
  ORGANIZATION: 'cơ quan, tổ chức',
  ADMIN_UNIT: 'thôn, xã, tỉnh (đơn vị hành chính)',
};
/** The federated entity each nominee kind is, for `nominee` fields (a union of org's entities). */
export const NOMINEE_TYPENAMES: Record<NomineeKind, string> = {
  PERSON: 'Person',
  HOUSEHOLD: 'Household',
  CLAN: 'Clan',
  ORGANIZATION: 'Organization',
  ADMIN_UNIT: 'AdminUnit',
};
/** Which recipient kind of a form each nominee kind is. */
export const RECIPIENT_KIND_OF: Record<NomineeKind, RecipientKind> = {
  PERSON: 'INDIVIDUAL',
  HOUSEHOLD: 'HOUSEHOLD',
  CLAN: 'COLLECTIVE',
  ORGANIZATION: 'COLLECTIVE',
  ADMIN_UNIT: 'COLLECTIVE',
};
/** The nominee kinds a form's recipient kinds admit. */
export const nomineeKindsFor = (recipientKinds: readonly RecipientKind[]): NomineeKind[] =>
  NOMINEE_KINDS.filter((k) => recipientKinds.includes(RECIPIENT_KIND_OF[k]));

export const RECOGNITION_LEVELS = ['ACHIEVED', 'LEVEL_1', 'LEVEL_2'] as const;
export const LEVEL_NAMES: Record<RecognitionLevel, string> = { ACHIEVED: 'Đạt', LEVEL_1: 'Mức 1 (Khá)', LEVEL_2: 'Mức 2 (Tốt)' };
/** Lower levels first: Level 2 includes Level 1. */
export const LEVEL_ORDER: Record<RecognitionLevel, number> = { ACHIEVED: 0, LEVEL_1: 1, LEVEL_2: 2 };

const year = (what: string) =>
  z.number().int(`${what} phải là số nguyên`).min(2000, `${what} từ 2000 đến 2100`).max(2100, `${what} từ 2000 đến 2100`);
const title = z.enum(LEARNING_TITLES, { message: 'danh hiệu không hợp lệ' });

/**
 * The eligibility rule language, stored as data (a JSON list per form of a round):
 * TITLE_CONSECUTIVE_YEARS {title, years, endingYear?}: held the title in each of the `years` years up to
 * endingYear (default: the year before the round's year — the last year whose recognitions are decided),
 * none of them revoked. TITLE_HELD {title, year, minLevel?}: held the title in that year, at minLevel or
 * above. SUBJECT_KIND {kinds}: the nominee is of one of these kinds (default: the kinds the form's
 * recipient kinds admit). TARGETS_MET {year?}: an administrative unit that met every target its plans set
 * it for the year (default: the year before the round's — a year's result is final once the unit's
 * annual report for it is accepted, in November or December), as reporting judged it.
 */
export const eligibilityRule = z.discriminatedUnion(
  'kind',
  [
    z
      .object({
        kind: z.literal('TITLE_CONSECUTIVE_YEARS'),
        title,
        years: z
          .number({ message: 'cần số năm liên tục (years)' })
          .int('số năm phải là số nguyên')
          .min(1, 'số năm từ 1 đến 10')
          .max(10, 'số năm từ 1 đến 10'),
        endingYear: year('năm cuối').optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('TITLE_HELD'),
        title,
        year: year('năm'),
        minLevel: z.enum(RECOGNITION_LEVELS).optional(),
      })
      .strict(),
    z
      .object({
        kind: z.literal('SUBJECT_KIND'),
        kinds: z
          .array(z.enum(NOMINEE_KINDS))
          .min(1, 'cần ít nhất một loại đối tượng')
          .refine((k) => new Set(k).size === k.length, 'loại đối tượng bị lặp'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('TARGETS_MET'),
        year: year('năm').optional(),
      })
      .strict(),
  ],
  { message: 'loại điều kiện không hợp lệ (TITLE_CONSECUTIVE_YEARS, TITLE_HELD, SUBJECT_KIND hoặc TARGETS_MET)' },
);
export type EligibilityRule = z.infer<typeof eligibilityRule>;

/** GraphQL gives absent optional fields as null; the stored rules leave them out. */
const withoutNulls = (v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined))
    : v;
export const eligibilityRules = z.array(z.preprocess(withoutNulls, eligibilityRule)).max(20, 'tối đa 20 điều kiện cho một hình thức');

/** A rule with its defaults filled in for a round of `roundYear`. */
export function effectiveRule(rule: EligibilityRule, roundYear: number): EligibilityRule {
  if (rule.kind === 'TITLE_CONSECUTIVE_YEARS') return { ...rule, endingYear: rule.endingYear ?? roundYear - 1 };
  if (rule.kind === 'TARGETS_MET') return { ...rule, year: rule.year ?? roundYear - 1 };
  return rule;
}

/** The only nominees whose results against targets reporting judges: administrative units (plans set targets per unit). */
export const TARGETS_MET_KINDS: readonly NomineeKind[] = ['ADMIN_UNIT'];

/** The rule in a Vietnamese sentence, defaults filled in for the round's year. */
export function describeRule(rule: EligibilityRule, roundYear: number): string {
  const r = effectiveRule(rule, roundYear);
  switch (r.kind) {
    case 'TITLE_CONSECUTIVE_YEARS': {
      const end = r.endingYear!;
      return `Đạt danh hiệu ${LEARNING_TITLE_NAMES[r.title]} ${r.years} năm liên tục (${end - r.years + 1}–${end}), không năm nào bị thu hồi`;
    }
    case 'TITLE_HELD':
      return (
        `Đạt danh hiệu ${LEARNING_TITLE_NAMES[r.title]} năm ${r.year}` +
        (r.minLevel && r.minLevel !== 'ACHIEVED' ? ` từ ${LEVEL_NAMES[r.minLevel]} trở lên` : '')
      );
    case 'SUBJECT_KIND':
      return `Đối tượng là ${r.kinds.map((k) => NOMINEE_KIND_NAMES[k]).join(', ')}`;
    case 'TARGETS_MET':
      return `Đơn vị hoàn thành tất cả chỉ tiêu được giao năm ${r.year} (theo báo cáo kết quả năm đã được tiếp nhận)`;
  }
}

/** A title without levels is only achieved: asking for Level 1 or 2 of it can never hold. */
export const levelMakesSense = (t: LearningTitle, level: RecognitionLevel | undefined) =>
  !level || level === 'ACHIEVED' || TITLES_WITH_LEVELS.includes(t);

/** A quota of a form in a round: a number of awards, or a share of another form's awards in the same round. */
export type Quota = { kind: 'COUNT'; count: number } | { kind: 'SHARE'; percent: number; ofFormCode: string };

export const quotaInput = z
  .object({
    count: z.number().int('số lượng phải là số nguyên').min(0, 'số lượng không âm').max(1_000_000, 'số lượng quá lớn').nullish(),
    sharePercent: z.number().gt(0, 'tỷ lệ lớn hơn 0%').max(100, 'tỷ lệ tối đa 100%').nullish(),
    ofFormCode: z.string().trim().min(1, 'cần mã hình thức làm căn cứ tỷ lệ').nullish(),
  })
  .superRefine((q, ctx) => {
    const count = q.count != null;
    const share = q.sharePercent != null || q.ofFormCode != null;
    if (count === share) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'chỉ tiêu là một số lượng (count) hoặc một tỷ lệ (sharePercent và ofFormCode), không cả hai',
      });
    } else if (share && (q.sharePercent == null || q.ofFormCode == null)) {
      ctx.addIssue({
        code: 'custom',
        path: [q.sharePercent == null ? 'sharePercent' : 'ofFormCode'],
        message: 'chỉ tiêu tỷ lệ cần cả sharePercent và ofFormCode',
      });
    }
  })
  .transform((q): Quota =>
    q.count != null ? { kind: 'COUNT', count: q.count } : { kind: 'SHARE', percent: q.sharePercent!, ofFormCode: q.ofFormCode! },
  );

/**
 * How many awards of a form the quota allows, given how many of each form are awarded in the round:
 * a share rounds down (15 % of 20 Lao động tiên tiến allows 3 Chiến sĩ thi đua cơ sở).
 */
export function quotaLimit(quota: Quota, awardedByForm: ReadonlyMap<string, number>): number {
  if (quota.kind === 'COUNT') return quota.count;
  // in hundredths of a percent, so 15 % of 20 is exactly 3 and not 2.9999
  return Math.floor((Math.round(quota.percent * 100) * (awardedByForm.get(quota.ofFormCode) ?? 0)) / 10_000);
}

export function describeQuota(quota: Quota, formName: (code: string) => string): string {
  return quota.kind === 'COUNT'
    ? `Tối đa ${quota.count} trường hợp`
    : `Tối đa ${quota.percent}% số ${formName(quota.ofFormCode)} được khen thưởng trong đợt`;
}
