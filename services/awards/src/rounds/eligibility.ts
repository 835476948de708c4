import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, INDICATOR_NAMES, type Indicator } from '@xhht/infra';
import { formsAt } from '../forms/award-form.repository';
import { LEARNING_TITLE_NAMES } from '../recognitions/learning-titles';
import { recognitionsOf, type AwardRecognition } from '../recognitions/recognition-replica';
import { targetsResultsOf, type TargetIndicator, type TargetsResult } from '../targets/targets-replica';
import type { AwardRound } from './award-round.repository';
import {
  effectiveRule,
  LEVEL_NAMES,
  LEVEL_ORDER,
  NOMINEE_KIND_NAMES,
  nomineeKindsFor,
  type EligibilityRule,
  type NomineeKind,
} from './eligibility-rules';

export interface Nominee {
  kind: NomineeKind;
  id: string;
}
export interface EligibilityCheck {
  /** The rule as applied: defaults filled in for the round's year. */
  rule: EligibilityRule;
  passed: boolean;
  /** A Vietnamese sentence naming the years and title found or missing. */
  explanation: string;
}
export interface Eligibility {
  eligible: boolean;
  checks: EligibilityCheck[];
}

/** dd/mm/yyyy, as Vietnamese documents write dates. */
const viDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const decisionOf = (r: AwardRecognition) =>
  r.decisionNumber ? ` (Quyết định số ${r.decisionNumber}${r.decisionDate ? ` ngày ${viDate(r.decisionDate)}` : ''})` : '';
const revokedOf = (r: AwardRecognition) => `bị thu hồi${r.revokedOn ? ` ngày ${viDate(r.revokedOn)}` : ''}`;

const percent = (n: number) => `${n.toLocaleString('vi-VN', { maximumFractionDigits: 2 })}%`;
/** An indicator's figure against what was required, e.g. "Tỷ lệ hộ gia đình … đạt 75% (3/4), chỉ tiêu 70%". */
function figureOf(i: TargetIndicator, year: number): string {
  const name = INDICATOR_NAMES[i.indicator as Indicator] ?? i.indicator;
  const achieved = i.rate === null ? 'không có số liệu' : `đạt ${percent(i.rate)} (${i.numerator}/${i.denominator})`;
  const required =
    i.targetYear === year
      ? `chỉ tiêu ${percent(i.target)}`
      : `chỉ tiêu ${percent(i.target)} theo lộ trình đến ${percent(i.planTarget)} năm ${i.targetYear}`;
  return `${name} ${achieved}, ${required}`;
}

/** Whether the unit met its targets for `year`, from reporting's latest judgement of that year. */
function targetsCheck(year: number, nominee: Nominee, results: readonly TargetsResult[]): { passed: boolean; explanation: string } {
  if (nominee.kind !== 'ADMIN_UNIT') {
    return {
      passed: false,
      explanation: `Điều kiện hoàn thành chỉ tiêu chỉ xét cho ${NOMINEE_KIND_NAMES.ADMIN_UNIT}; đối tượng là ${NOMINEE_KIND_NAMES[nominee.kind]}`,
    };
  }
  const result = results.find((r) => r.year === year);
  if (!result) {
    return {
      passed: false,
      explanation: `Chưa có kết quả thực hiện chỉ tiêu năm ${year}: báo cáo kết quả năm ${year} của đơn vị chưa được tiếp nhận`,
    };
  }
  const asOf = `tính đến ngày ${viDate(result.asOf)}`;
  if (result.outcome === 'NO_TARGETS') {
    return {
      passed: false,
      explanation: `Năm ${year} đơn vị không được giao chỉ tiêu nào (${asOf}), nên chưa xét được việc hoàn thành chỉ tiêu`,
    };
  }
  const short = result.indicators.filter((i) => !i.met);
  if (result.outcome === 'MET' && short.length === 0) {
    return {
      passed: true,
      explanation: `Hoàn thành tất cả ${result.indicators.length} chỉ tiêu năm ${year} (${asOf}): ${result.indicators.map((i) => figureOf(i, year)).join('; ')}`,
    };
  }
  return {
    passed: false,
    explanation:
      `Chưa hoàn thành ${short.length}/${result.indicators.length} chỉ tiêu năm ${year} (${asOf}): ` +
      short.map((i) => figureOf(i, year)).join('; '),
  };
}

/** The nominee's standing for a title in a year: the highest level held (not revoked), else a revoked one, else nothing. */
function standing(recognitions: readonly AwardRecognition[], title: string, year: number) {
  const ofYear = recognitions.filter((r) => r.title === title && r.year === year);
  const held = ofYear.filter((r) => !r.revoked).sort((a, b) => LEVEL_ORDER[b.level] - LEVEL_ORDER[a.level])[0];
  return { held, revoked: held ? undefined : ofYear.find((r) => r.revoked) };
}

/**
 * Judges rules against the nominee's recognitions (revoked and expired ones included, as the replica
 * keeps them) and its years judged against targets. Pure: the same inputs give the same checks. A
 * title counts for a year when a recognition for that year exists and is not revoked; one that
 * expired since still counts for its year.
 */
export function judgeRules(
  rules: readonly EligibilityRule[],
  roundYear: number,
  nominee: Nominee,
  recognitions: readonly AwardRecognition[],
  targets: readonly TargetsResult[] = [],
): Eligibility {
  const checks = rules.map((raw): EligibilityCheck => {
    const rule = effectiveRule(raw, roundYear);
    switch (rule.kind) {
      case 'TITLE_CONSECUTIVE_YEARS': {
        const name = LEARNING_TITLE_NAMES[rule.title];
        const end = rule.endingYear!;
        const from = end - rule.years + 1;
        const years = Array.from({ length: rule.years }, (_, i) => from + i);
        const found = years.map((y) => ({ year: y, ...standing(recognitions, rule.title, y) }));
        const held = found.filter((f) => f.held);
        const revoked = found.filter((f) => !f.held && f.revoked);
        const missing = found.filter((f) => !f.held && !f.revoked);
        if (held.length === years.length) {
          return {
            rule,
            passed: true,
            explanation:
              `Đạt danh hiệu ${name} ${rule.years} năm liên tục ${from}–${end}: ` +
              held.map((f) => `năm ${f.year}${decisionOf(f.held!)}`).join('; '),
          };
        }
        const parts = [
          ...(missing.length ? [`thiếu năm ${missing.map((f) => f.year).join(', ')}`] : []),
          ...revoked.map((f) => `danh hiệu năm ${f.year} đã ${revokedOf(f.revoked!)}`),
          ...(held.length ? [`chỉ đạt các năm ${held.map((f) => f.year).join(', ')}`] : []),
        ];
        return {
          rule,
          passed: false,
          explanation: `Chưa đủ ${rule.years} năm liên tục đạt danh hiệu ${name} (${from}–${end}): ${parts.join('; ')}`,
        };
      }
      case 'TITLE_HELD': {
        const name = LEARNING_TITLE_NAMES[rule.title];
        const min = rule.minLevel ?? 'ACHIEVED';
        const { held, revoked } = standing(recognitions, rule.title, rule.year);
        if (!held) {
          return {
            rule,
            passed: false,
            explanation: revoked
              ? `Danh hiệu ${name} năm ${rule.year} đã ${revokedOf(revoked)}`
              : `Không có danh hiệu ${name} năm ${rule.year}`,
          };
        }
        const level = held.level === 'ACHIEVED' ? '' : ` ở ${LEVEL_NAMES[held.level]}`;
        if (LEVEL_ORDER[held.level] < LEVEL_ORDER[min]) {
          return {
            rule,
            passed: false,
            explanation: `Năm ${rule.year} chỉ đạt danh hiệu ${name}${level}, chưa đạt ${LEVEL_NAMES[min]}${decisionOf(held)}`,
          };
        }
        return { rule, passed: true, explanation: `Đạt danh hiệu ${name} năm ${rule.year}${level}${decisionOf(held)}` };
      }
      case 'SUBJECT_KIND': {
        const allowed = rule.kinds.map((k) => NOMINEE_KIND_NAMES[k]).join(', ');
        const what = NOMINEE_KIND_NAMES[nominee.kind];
        return rule.kinds.includes(nominee.kind)
          ? { rule, passed: true, explanation: `Đối tượng là ${what}, thuộc loại được xét (${allowed})` }
          : { rule, passed: false, explanation: `Đối tượng là ${what}, không thuộc loại được xét (chỉ xét: ${allowed})` };
      }
      case 'TARGETS_MET':
        return { rule, ...targetsCheck(rule.year!, nominee, targets) };
    }
  });
  return { eligible: checks.every((c) => c.passed), checks };
}

/**
 * Whether a nominee meets the rules a round sets for a form, and why, from the recognition replica
 * and the replica of years judged against targets.
 * Without its own SUBJECT_KIND rule a form admits the nominee kinds its recipient kinds allow (the
 * version in force on the round's decision deadline). BAD_USER_INPUT when the round does not award the form.
 */
export async function evaluateEligibility(em: EntityManager, round: AwardRound, formCode: string, nominee: Nominee): Promise<Eligibility> {
  const entry = round.forms.find((f) => f.formCode === formCode);
  if (!entry) {
    throw badInput(`Đợt khen thưởng "${round.name}" không xét hình thức ${formCode}`, 'FORM_NOT_IN_ROUND', ['formCode']);
  }
  const rules = [...entry.rules];
  if (!rules.some((r) => r.kind === 'SUBJECT_KIND')) {
    const form = (await formsAt(em, [formCode], round.decisionDeadline)).get(formCode);
    if (form) rules.unshift({ kind: 'SUBJECT_KIND', kinds: nomineeKindsFor(form.recipientKinds) });
  }
  const recognitions = (await recognitionsOf(em, [nominee.id])).get(nominee.id) ?? [];
  const targets = rules.some((r) => r.kind === 'TARGETS_MET') ? ((await targetsResultsOf(em, [nominee.id])).get(nominee.id) ?? []) : [];
  return judgeRules(rules, round.year, nominee, recognitions, targets);
}
