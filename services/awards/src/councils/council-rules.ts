import { z } from 'zod';

/** Whose count the pass threshold is a share of: every member of the council, or those present. */
export const THRESHOLD_BASES = ['ALL_MEMBERS', 'PRESENT'] as const;
export type ThresholdBase = (typeof THRESHOLD_BASES)[number];
export const THRESHOLD_COMPARATORS = ['GTE', 'GT'] as const;
export type ThresholdComparator = (typeof THRESHOLD_COMPARATORS)[number];
export const VOTE_CHOICES = ['APPROVE', 'REJECT', 'ABSTAIN'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];
export type Outcome = 'PASSED' | 'FAILED' | 'NO_QUORUM';

export const VOTE_CHOICE_NAMES: Record<VoteChoice, string> = { APPROVE: 'Đồng ý', REJECT: 'Không đồng ý', ABSTAIN: 'Không biểu quyết' };
export const OUTCOME_NAMES: Record<Outcome, string> = {
  PASSED: 'Được thông qua',
  FAILED: 'Không được thông qua',
  NO_QUORUM: 'Không đủ số thành viên dự họp',
};

export interface PassThreshold {
  base: ThresholdBase;
  comparator: ThresholdComparator;
  /** 0 < percent ≤ 100, at most two decimals. */
  percent: number;
}

/** Present members as a share of all members: a fraction, so 2/3 is exact (66.67 % would not be). */
export interface Quorum {
  numerator: number;
  denominator: number;
}

export interface CouncilRules {
  quorum: Quorum;
  passThreshold: PassThreshold;
  secretBallot: boolean;
}

export const passThresholdInput = z.object({
  base: z.enum(THRESHOLD_BASES),
  comparator: z.enum(THRESHOLD_COMPARATORS),
  percent: z
    .number({ message: 'tỉ lệ phải là một số (phần trăm)' })
    .gt(0, 'tỉ lệ phải lớn hơn 0')
    .max(100, 'tỉ lệ tối đa 100 %')
    .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, 'tỉ lệ có tối đa hai chữ số thập phân'),
});

export const quorumInput = z
  .object({
    numerator: z.number().int('tử số phải là số nguyên').min(0, 'tử số không được âm'),
    denominator: z.number().int('mẫu số phải là số nguyên').min(1, 'mẫu số phải lớn hơn 0'),
  })
  .refine((q) => q.numerator <= q.denominator, { message: 'tỉ lệ dự họp không được vượt quá 1', path: ['numerator'] });

/** What closing an item counted; stored with the item, frozen with the rules applied. */
export interface Tally {
  /** Members of the council on the session's day. */
  members: number;
  present: number;
  /** Members who declared a conflict of interest on the item: outside every count below. */
  conflicted: number;
  eligibleMembers: number;
  eligiblePresent: number;
  /** The count the threshold is a share of: eligible members, or eligible members present. */
  base: number;
  approve: number;
  reject: number;
  abstain: number;
  /** Votes cast before a conflict was declared on an open item, left out of the counts. */
  excluded: number;
  quorumMet: boolean;
  rules: { quorum: Quorum; passThreshold: PassThreshold };
}

/** Percent in hundredths, so the comparison below is on integers and exact at the edge. */
const hundredths = (percent: number) => Math.round(percent * 100);

/** `count` reaches the threshold of `base`: ≥ or > percent, compared exactly (9 of 10 is 90 %, 2 of 4 is not > 50 %). */
export function meetsThreshold(count: number, base: number, t: PassThreshold): boolean {
  if (base <= 0) return false;
  const lhs = count * 10_000;
  const rhs = hundredths(t.percent) * base;
  return t.comparator === 'GTE' ? lhs >= rhs : lhs > rhs;
}

/** At least `numerator/denominator` of the (eligible) members are present. */
export const meetsQuorum = (present: number, members: number, q: Quorum): boolean =>
  members > 0 && present * q.denominator >= q.numerator * members;

export interface CountInput {
  members: number;
  present: number;
  /** Conflicted members, and how many of them are present. */
  conflicted: number;
  conflictedPresent: number;
  approve: number;
  reject: number;
  abstain: number;
  excluded: number;
}

/**
 * The outcome of an item under the rules. Conflicted members leave the base and the quorum count:
 * the quorum is of the members who may vote on the item, present among them.
 */
export function decide(c: CountInput, rules: { quorum: Quorum; passThreshold: PassThreshold }): { outcome: Outcome; tally: Tally } {
  const eligibleMembers = c.members - c.conflicted;
  const eligiblePresent = c.present - c.conflictedPresent;
  const base = rules.passThreshold.base === 'ALL_MEMBERS' ? eligibleMembers : eligiblePresent;
  const quorumMet = meetsQuorum(eligiblePresent, eligibleMembers, rules.quorum);
  const outcome: Outcome = !quorumMet ? 'NO_QUORUM' : meetsThreshold(c.approve, base, rules.passThreshold) ? 'PASSED' : 'FAILED';
  return {
    outcome,
    tally: {
      members: c.members,
      present: c.present,
      conflicted: c.conflicted,
      eligibleMembers,
      eligiblePresent,
      base,
      approve: c.approve,
      reject: c.reject,
      abstain: c.abstain,
      excluded: c.excluded,
      quorumMet,
      rules: { quorum: rules.quorum, passThreshold: rules.passThreshold },
    },
  };
}

/** "≥ 90 % tổng số thành viên", "> 50 % số thành viên có mặt". */
export const describeThreshold = (t: PassThreshold): string =>
  `${t.comparator === 'GTE' ? '≥' : '>'} ${t.percent.toLocaleString('vi-VN')} % ${
    t.base === 'ALL_MEMBERS' ? 'tổng số thành viên hội đồng' : 'số thành viên có mặt'
  }`;

export const describeQuorum = (q: Quorum): string => `ít nhất ${q.numerator}/${q.denominator} tổng số thành viên có mặt`;
