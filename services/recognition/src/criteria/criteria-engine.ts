import { badInput } from '@xhht/infra';
import {
  LEVEL_ORDER,
  RESULT_LEVEL_NAMES,
  type CriteriaDefinition,
  type Criterion,
  type Indicator,
  type ResultLevel,
  type Rule,
  type RuleKind,
} from './criteria-definition';

/** Scores by indicator code: points for POINTS indicators, 1 (passed) or 0 (not) for PASS_FAIL ones. */
export type IndicatorScores = Readonly<Record<string, number>>;

export interface RuleOutcome {
  kind: RuleKind;
  held: boolean;
  /** Vietnamese, e.g. "tổng điểm 78 < 80, thiếu 2 điểm" */
  message: string;
  required: number | null;
  actual: number | null;
  /** how far from holding: points or indicators missing; 0 when it held */
  shortfall: number | null;
  failedCriteria: string[];
  failedIndicators: string[];
}

export interface LevelOutcome {
  level: ResultLevel;
  name: string;
  /** its own rules and every lower level hold */
  held: boolean;
  rulesHeld: boolean;
  /** the lower level this one needs but was not reached, if any */
  missingLowerLevel: ResultLevel | null;
  rules: RuleOutcome[];
}

export interface CriterionOutcome {
  code: string;
  name: string;
  points: number;
  maxPoints: number;
  indicatorsPassed: number;
  indicatorCount: number;
  zero: boolean;
}

export interface Evaluation {
  resultLevel: ResultLevel | null;
  resultLevelName: string;
  totalPoints: number;
  maxPoints: number;
  criteria: CriterionOutcome[];
  levels: LevelOutcome[];
  summary: string;
}

const fmt = (n: number) => n.toLocaleString('vi-VN', { maximumFractionDigits: 2 });
const round = (n: number) => Math.round(n * 100) / 100;

/** The least score passing `ind` at `level`: its own threshold, else the nearest lower one; null = above 0. */
export function thresholdAt(ind: Indicator, level: ResultLevel): number | null {
  const candidates = ind.thresholds.filter((t) => LEVEL_ORDER[t.level] <= LEVEL_ORDER[level]);
  candidates.sort((a, b) => LEVEL_ORDER[b.level] - LEVEL_ORDER[a.level]);
  return candidates[0]?.points ?? null;
}

/** Raised at `level`: it has its own threshold there, higher than what the level below asks. */
export function isRaisedAt(ind: Indicator, level: ResultLevel): boolean {
  const own = ind.thresholds.find((t) => t.level === level);
  if (!own) return false;
  const lower = (Object.keys(LEVEL_ORDER) as ResultLevel[]).filter((l) => LEVEL_ORDER[l] === LEVEL_ORDER[level] - 1)[0];
  const below = lower ? thresholdAt(ind, lower) : null;
  return below === null ? own.points > 0 : own.points > below;
}

export function passesAt(ind: Indicator, score: number, level: ResultLevel): boolean {
  if (ind.scoring === 'PASS_FAIL') return score === 1;
  const t = thresholdAt(ind, level);
  return t === null ? score > 0 : score >= t;
}

/**
 * Refuses score values the set cannot take: a code the set does not have, points outside 0..max,
 * a pass/fail score other than 0 or 1. Indicators without a score are not checked here.
 */
export function checkScoreValues(def: CriteriaDefinition, scores: IndicatorScores): void {
  const indicators = new Map(def.criteria.flatMap((c) => c.indicators.map((i) => [i.code, i] as const)));
  const unknown = Object.keys(scores).filter((code) => !indicators.has(code));
  if (unknown.length)
    throw badInput(`Bộ tiêu chí không có chỉ tiêu: ${unknown.join(', ')}`, 'UNKNOWN_INDICATOR', ['scores'], { indicators: unknown });
  for (const [code, s] of Object.entries(scores)) {
    if (s === undefined || s === null) continue;
    const ind = indicators.get(code)!;
    if (!Number.isFinite(s)) throw badInput(`Điểm chỉ tiêu ${code} không hợp lệ`, 'SCORE_OUT_OF_RANGE', ['scores']);
    if (ind.scoring === 'PASS_FAIL' && s !== 0 && s !== 1)
      throw badInput(`Chỉ tiêu ${code} chấm đạt (1) hoặc không đạt (0)`, 'SCORE_OUT_OF_RANGE', ['scores'], { indicator: code });
    if (ind.scoring === 'POINTS' && (s < 0 || s > ind.maxPoints!))
      throw badInput(`Điểm chỉ tiêu ${code} phải từ 0 đến ${fmt(ind.maxPoints!)}`, 'SCORE_OUT_OF_RANGE', ['scores'], { indicator: code });
  }
}

/** The indicators of the set without a score. */
export function unscoredIndicators(def: CriteriaDefinition, scores: IndicatorScores): string[] {
  return def.criteria.flatMap((c) => c.indicators.map((i) => i.code)).filter((code) => scores[code] === undefined || scores[code] === null);
}

/** Refuses scores the set cannot be evaluated on: values it cannot take, or an indicator without a score. */
export function checkScores(def: CriteriaDefinition, scores: IndicatorScores): void {
  checkScoreValues(def, scores);
  const missing = unscoredIndicators(def, scores);
  if (missing.length)
    throw badInput(`Chưa chấm ${missing.length} chỉ tiêu: ${missing.join(', ')}`, 'MISSING_SCORES', ['scores'], { indicators: missing });
}

function selectIndicators(def: CriteriaDefinition, rule: { criteria?: string[] | null; indicators?: string[] | null }): Indicator[] {
  let criteria: Criterion[] = def.criteria;
  if (rule.criteria?.length) criteria = criteria.filter((c) => rule.criteria!.includes(c.code));
  let inds = criteria.flatMap((c) => c.indicators);
  if (rule.indicators?.length) {
    const all = def.criteria.flatMap((c) => c.indicators);
    inds = rule.criteria?.length
      ? inds.filter((i) => rule.indicators!.includes(i.code))
      : all.filter((i) => rule.indicators!.includes(i.code));
  }
  return inds;
}

const scopeText = (rule: { criteria?: string[] | null; indicators?: string[] | null }) =>
  rule.indicators?.length
    ? `chỉ tiêu ${rule.indicators.join(', ')}`
    : rule.criteria?.length
      ? `các chỉ tiêu của tiêu chí ${rule.criteria.join(', ')}`
      : 'các chỉ tiêu';

/**
 * Evaluates scores against a criteria set: the highest level whose rules hold, every lower level
 * holding too (null: not achieved), the total points, and why — each rule of each level with what
 * held, what failed and by how much. Pure: the same definition and scores give the same answer.
 */
export function evaluateCriteriaSet(def: CriteriaDefinition, scores: IndicatorScores): Evaluation {
  checkScores(def, scores);
  const criteria: CriterionOutcome[] = def.criteria.map((c) => {
    const pts = c.indicators.filter((i) => i.scoring === 'POINTS');
    const points = round(pts.reduce((s, i) => s + scores[i.code]!, 0));
    const passed = c.indicators.filter((i) => (i.scoring === 'PASS_FAIL' ? scores[i.code] === 1 : scores[i.code]! > 0)).length;
    return {
      code: c.code,
      name: c.name,
      points,
      maxPoints: round(pts.reduce((s, i) => s + i.maxPoints!, 0)),
      indicatorsPassed: passed,
      indicatorCount: c.indicators.length,
      zero: passed === 0,
    };
  });
  const byCode = new Map(criteria.map((c) => [c.code, c]));
  const totalPoints = round(criteria.reduce((s, c) => s + c.points, 0));
  const maxPoints = round(criteria.reduce((s, c) => s + c.maxPoints, 0));

  const levelDefs = [...def.levels].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);

  const evalRule = (rule: Rule): RuleOutcome => {
    const base = { kind: rule.kind, required: null, actual: null, shortfall: 0, failedCriteria: [], failedIndicators: [] };
    switch (rule.kind) {
      case 'TOTAL_AT_LEAST': {
        const held = totalPoints >= rule.points;
        const gap = round(rule.points - totalPoints);
        return {
          ...base,
          held,
          required: rule.points,
          actual: totalPoints,
          shortfall: held ? 0 : gap,
          message: held
            ? `tổng điểm ${fmt(totalPoints)} ≥ ${fmt(rule.points)}`
            : `tổng điểm ${fmt(totalPoints)} < ${fmt(rule.points)}, thiếu ${fmt(gap)} điểm`,
        };
      }
      case 'CRITERION_AT_LEAST': {
        const failed = rule.criteria.map((c) => byCode.get(c)!).filter((c) => c.points < rule.points);
        const worst = failed.reduce((m, c) => Math.max(m, rule.points - c.points), 0);
        return {
          ...base,
          held: failed.length === 0,
          required: rule.points,
          shortfall: round(worst),
          failedCriteria: failed.map((c) => c.code),
          message: failed.length
            ? failed
                .map(
                  (c) =>
                    `tiêu chí ${c.code} được ${fmt(c.points)} < ${fmt(rule.points)} điểm, thiếu ${fmt(round(rule.points - c.points))} điểm`,
                )
                .join('; ')
            : `tiêu chí ${rule.criteria.join(', ')} đều từ ${fmt(rule.points)} điểm trở lên`,
        };
      }
      case 'NO_CRITERION_ZERO': {
        const scope = rule.criteria?.length ? rule.criteria.map((c) => byCode.get(c)!) : criteria;
        const zero = scope.filter((c) => c.zero);
        return {
          ...base,
          held: zero.length === 0,
          actual: zero.length,
          required: 0,
          shortfall: zero.length,
          failedCriteria: zero.map((c) => c.code),
          message: zero.length ? zero.map((c) => `tiêu chí ${c.code} (${c.name}) được 0 điểm`).join('; ') : 'không tiêu chí nào bị 0 điểm',
        };
      }
      case 'INDICATORS_PASS':
      case 'MIN_INDICATORS_PASS': {
        let inds = selectIndicators(def, rule);
        if (rule.kind === 'INDICATORS_PASS' && rule.raisedOnly) inds = inds.filter((i) => isRaisedAt(i, rule.level));
        const failed = inds.filter((i) => !passesAt(i, scores[i.code]!, rule.level));
        const passed = inds.length - failed.length;
        const levelName = RESULT_LEVEL_NAMES[rule.level];
        const what = `${rule.kind === 'INDICATORS_PASS' && rule.raisedOnly ? 'chỉ tiêu nâng mức trong ' : ''}${scopeText(rule)}`;
        const failText = failed
          .map((i) => {
            if (i.scoring === 'PASS_FAIL') return `${i.code} (không đạt)`;
            const t = thresholdAt(i, rule.level);
            return `${i.code} (${fmt(scores[i.code]!)} < ${t === null ? 'trên 0' : fmt(t)} điểm)`;
          })
          .join(', ');
        if (rule.kind === 'INDICATORS_PASS') {
          return {
            ...base,
            held: failed.length === 0,
            required: inds.length,
            actual: passed,
            shortfall: failed.length,
            failedIndicators: failed.map((i) => i.code),
            message: failed.length
              ? `${failed.length}/${inds.length} ${what} chưa đạt ngưỡng ${levelName}: ${failText}`
              : inds.length
                ? `cả ${inds.length} ${what} đạt ngưỡng ${levelName}`
                : `không có ${what} cần xét ở ${levelName}`,
          };
        }
        const held = passed >= rule.count;
        return {
          ...base,
          held,
          required: rule.count,
          actual: passed,
          shortfall: held ? 0 : rule.count - passed,
          failedIndicators: held ? [] : failed.map((i) => i.code),
          message: held
            ? `${passed}/${inds.length} ${what} đạt ngưỡng ${levelName} (cần ${rule.count})`
            : `${passed}/${inds.length} ${what} đạt ngưỡng ${levelName}, cần ${rule.count}, thiếu ${rule.count - passed} chỉ tiêu`,
        };
      }
      case 'LEVEL_HOLDS': {
        const held = levelHeld(rule.level);
        return {
          ...base,
          held,
          shortfall: held ? 0 : null,
          message: held ? `đạt ${RESULT_LEVEL_NAMES[rule.level]}` : `chưa đạt ${RESULT_LEVEL_NAMES[rule.level]}`,
        };
      }
    }
  };

  const outcomes = new Map<ResultLevel, LevelOutcome>();
  function levelHeld(level: ResultLevel): boolean {
    return outcomeOf(level).held;
  }
  function outcomeOf(level: ResultLevel): LevelOutcome {
    const done = outcomes.get(level);
    if (done) return done;
    const ld = levelDefs.find((l) => l.level === level)!;
    const rules = ld.rules.map(evalRule);
    const own = rules.every((r) => r.held);
    const lower = levelDefs.filter((l) => LEVEL_ORDER[l.level] < LEVEL_ORDER[level]).map((l) => l.level);
    const missingLowerLevel = lower.find((l) => !outcomeOf(l).held) ?? null;
    const o: LevelOutcome = {
      level,
      name: RESULT_LEVEL_NAMES[level],
      held: own && !missingLowerLevel,
      rulesHeld: own,
      missingLowerLevel,
      rules,
    };
    outcomes.set(level, o);
    return o;
  }
  const levels = levelDefs.map((l) => outcomeOf(l.level));
  const reached = levels.filter((l) => l.held).at(-1) ?? null;
  const resultLevel = reached?.level ?? null;

  const parts: string[] = [];
  parts.push(resultLevel ? `Xếp ${RESULT_LEVEL_NAMES[resultLevel]}.` : 'Chưa đạt.');
  if (maxPoints > 0) parts.push(`Tổng điểm ${fmt(totalPoints)}/${fmt(maxPoints)}.`);
  const next = levels.find((l) => !l.held);
  if (next) {
    const why = next.rules.filter((r) => !r.held).map((r) => r.message);
    if (next.missingLowerLevel && next.rulesHeld) why.push(`cần đạt ${RESULT_LEVEL_NAMES[next.missingLowerLevel]} trước`);
    parts.push(`Chưa đạt ${next.name}: ${why.join('; ')}.`);
  }
  return {
    resultLevel,
    resultLevelName: resultLevel ? RESULT_LEVEL_NAMES[resultLevel] : 'Chưa đạt',
    totalPoints,
    maxPoints,
    criteria,
    levels,
    summary: parts.join(' '),
  };
}
