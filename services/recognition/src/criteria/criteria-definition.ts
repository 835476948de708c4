import { z } from 'zod';
import { LEVEL_ORDER, RESULT_LEVELS, RESULT_LEVEL_NAMES, type ResultLevel } from '@xhht/infra';

/**
 * The content of a criteria set (bộ tiêu chí) as data: criteria (tiêu chí) → indicators (chỉ tiêu),
 * and the rules that decide each level. Stored as JSON on the set, validated by these schemas on
 * every write, and read by the pure evaluator in criteria-engine.ts.
 */

export { LEVEL_ORDER, RESULT_LEVELS, RESULT_LEVEL_NAMES, type ResultLevel };

const CODE = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/, 'mã gồm chữ, số, dấu chấm, gạch, tối đa 30 ký tự');
const level = z.enum(RESULT_LEVELS);
const points = z.number().finite().min(0, 'điểm không âm').max(1000, 'điểm tối đa 1000');

export const indicatorSchema = z
  .object({
    code: CODE,
    text: z.string().trim().min(1, 'nội dung chỉ tiêu không được để trống').max(2000),
    scoring: z.enum(['POINTS', 'PASS_FAIL']),
    /** POINTS only: the indicator is scored 0..maxPoints */
    maxPoints: points.positive('điểm tối đa phải lớn hơn 0').nullish(),
    evidenceRequired: z.boolean().default(false),
    evidenceDescription: z.string().trim().max(2000).nullish(),
    /**
     * POINTS only: the least score that passes the indicator at a level. A level without its own
     * threshold uses the nearest lower one; without any, a score above 0 passes. An indicator whose
     * threshold at a level is higher than at the level below is "raised" at that level.
     */
    thresholds: z.array(z.object({ level, points })).default([]),
  })
  .superRefine((ind, ctx) => {
    if (ind.scoring === 'POINTS' && !ind.maxPoints)
      ctx.addIssue({ code: 'custom', path: ['maxPoints'], message: 'chỉ tiêu chấm điểm cần điểm tối đa' });
    if (ind.scoring === 'PASS_FAIL' && ind.maxPoints)
      ctx.addIssue({ code: 'custom', path: ['maxPoints'], message: 'chỉ tiêu đạt/không đạt không có điểm tối đa' });
    if (ind.scoring === 'PASS_FAIL' && ind.thresholds.length)
      ctx.addIssue({ code: 'custom', path: ['thresholds'], message: 'chỉ tiêu đạt/không đạt không có ngưỡng điểm' });
    const seen = new Set<string>();
    ind.thresholds.forEach((t, i) => {
      if (seen.has(t.level)) ctx.addIssue({ code: 'custom', path: ['thresholds', i, 'level'], message: `ngưỡng ${t.level} lặp lại` });
      seen.add(t.level);
      if (ind.maxPoints && t.points > ind.maxPoints)
        ctx.addIssue({ code: 'custom', path: ['thresholds', i, 'points'], message: 'ngưỡng vượt điểm tối đa' });
    });
  });

export const criterionSchema = z.object({
  code: CODE,
  name: z.string().trim().min(1, 'tên tiêu chí không được để trống').max(500),
  indicators: z.array(indicatorSchema).min(1, 'tiêu chí cần ít nhất một chỉ tiêu').max(100),
});

/**
 * The rule language. A level holds when every one of its rules holds (and every lower level holds).
 * - TOTAL_AT_LEAST: the total of all points ≥ `points`
 * - CRITERION_AT_LEAST: the points of each listed criterion ≥ `points`
 * - NO_CRITERION_ZERO: no criterion (of `criteria`, default all) scores 0 — nothing passed, no points
 * - INDICATORS_PASS: every indicator of `criteria` / `indicators` (default all) passes at `level`
 *   (`raisedOnly`: only the indicators raised at that level)
 * - MIN_INDICATORS_PASS: at least `count` of those indicators pass at `level`
 * - LEVEL_HOLDS: the rules of another, lower level hold
 */
export const RULE_KINDS = [
  'TOTAL_AT_LEAST',
  'CRITERION_AT_LEAST',
  'NO_CRITERION_ZERO',
  'INDICATORS_PASS',
  'MIN_INDICATORS_PASS',
  'LEVEL_HOLDS',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const codes = z.array(CODE).min(1).nullish();
export const ruleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('TOTAL_AT_LEAST'), points }),
  z.object({ kind: z.literal('CRITERION_AT_LEAST'), criteria: z.array(CODE).min(1), points }),
  z.object({ kind: z.literal('NO_CRITERION_ZERO'), criteria: codes }),
  z.object({ kind: z.literal('INDICATORS_PASS'), level, criteria: codes, indicators: codes, raisedOnly: z.boolean().nullish() }),
  z.object({
    kind: z.literal('MIN_INDICATORS_PASS'),
    level,
    criteria: codes,
    indicators: codes,
    count: z.number().int().min(1),
  }),
  z.object({ kind: z.literal('LEVEL_HOLDS'), level }),
]);
export type Rule = z.infer<typeof ruleSchema>;

export const levelRulesSchema = z.object({ level, rules: z.array(ruleSchema).min(1, 'mỗi mức cần ít nhất một quy tắc').max(50) });

export const criteriaDefinitionSchema = z
  .object({
    criteria: z.array(criterionSchema).min(1, 'bộ tiêu chí cần ít nhất một tiêu chí').max(50),
    levels: z.array(levelRulesSchema).min(1, 'bộ tiêu chí cần quy tắc xếp mức').max(3),
  })
  .superRefine((def, ctx) => {
    const criteria = new Set<string>();
    const indicators = new Set<string>();
    def.criteria.forEach((c, i) => {
      if (criteria.has(c.code)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'code'], message: `mã tiêu chí ${c.code} lặp lại` });
      criteria.add(c.code);
      c.indicators.forEach((ind, j) => {
        if (indicators.has(ind.code))
          ctx.addIssue({ code: 'custom', path: ['criteria', i, 'indicators', j, 'code'], message: `mã chỉ tiêu ${ind.code} lặp lại` });
        indicators.add(ind.code);
      });
    });
    const levels = new Set<string>();
    def.levels.forEach((l, i) => {
      if (levels.has(l.level)) ctx.addIssue({ code: 'custom', path: ['levels', i, 'level'], message: `mức ${l.level} lặp lại` });
      levels.add(l.level);
    });
    if (levels.has('ACHIEVED') && levels.size > 1)
      ctx.addIssue({ code: 'custom', path: ['levels'], message: 'bộ tiêu chí xếp Đạt/Không đạt hoặc xếp Mức 1/Mức 2, không cả hai' });
    if (levels.has('LEVEL_2') && !levels.has('LEVEL_1'))
      ctx.addIssue({ code: 'custom', path: ['levels'], message: 'có Mức 2 thì phải có Mức 1' });
    def.levels.forEach((l, i) =>
      l.rules.forEach((r, j) => {
        const path = ['levels', i, 'rules', j];
        for (const c of ('criteria' in r && r.criteria) || [])
          if (!criteria.has(c)) ctx.addIssue({ code: 'custom', path: [...path, 'criteria'], message: `không có tiêu chí ${c}` });
        for (const c of ('indicators' in r && r.indicators) || [])
          if (!indicators.has(c)) ctx.addIssue({ code: 'custom', path: [...path, 'indicators'], message: `không có chỉ tiêu ${c}` });
        if (r.kind === 'LEVEL_HOLDS' && !(levels.has(r.level) && LEVEL_ORDER[r.level] < LEVEL_ORDER[l.level]))
          ctx.addIssue({ code: 'custom', path: [...path, 'level'], message: `LEVEL_HOLDS chỉ tham chiếu một mức thấp hơn có trong bộ` });
        if (r.kind === 'MIN_INDICATORS_PASS' || r.kind === 'INDICATORS_PASS') {
          if (!levels.has(r.level) && r.level !== l.level)
            ctx.addIssue({ code: 'custom', path: [...path, 'level'], message: `mức ${r.level} không có trong bộ` });
        }
      }),
    );
  });

export type CriteriaDefinition = z.infer<typeof criteriaDefinitionSchema>;
export type Criterion = CriteriaDefinition['criteria'][number];
export type Indicator = Criterion['indicators'][number];

/** Titles recognised as achieved / not achieved, and those recognised by level. */
export const TITLES_WITH_LEVELS = new Set(['LEARNING_COMMUNITY', 'LEARNING_UNIT']);

/** Whether the levels of a definition fit its title: ACHIEVED for families, clans and citizens; LEVEL_1/2 for communities and units. */
export function levelsFitTitle(def: CriteriaDefinition, title: string): string | null {
  const hasAchieved = def.levels.some((l) => l.level === 'ACHIEVED');
  if (TITLES_WITH_LEVELS.has(title) && hasAchieved) return 'danh hiệu này xếp Mức 1/Mức 2, không xếp Đạt';
  if (!TITLES_WITH_LEVELS.has(title) && !hasAchieved) return 'danh hiệu này xếp Đạt/Không đạt, không xếp mức';
  return null;
}
