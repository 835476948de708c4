import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { connection, isUuid, notFound, pageWindow, parseInput, rawQuery, type PageArgs } from '@xhht/infra';
import type { RecognitionContext } from '../context';
import { LEARNING_TITLES } from '../titles/learning-titles';
import { RESULT_LEVEL_NAMES, type Indicator, type ResultLevel, type Rule } from './criteria-definition';
import { evaluateCriteriaSet, isRaisedAt } from './criteria-engine';
import {
  CRITERIA_SET_STATUS_NAMES,
  createCriteriaSet,
  createCriteriaSetInput,
  idInput,
  newCriteriaSetVersion,
  newVersionInput,
  publishCriteriaSet,
  retireCriteriaSet,
  scoresFromInput,
  updateCriteriaSetDraft,
  updateCriteriaSetDraftInput,
} from './criteria-set.domain';
import { CriteriaSet } from './criteria-set.entity';
import { SAMPLE_NOTE } from './sample-criteria-sets';

const fmt = (n: number) => n.toLocaleString('vi-VN', { maximumFractionDigits: 2 });
const list = (codes: string[] | null | undefined, what: string) => (codes?.length ? ` ${what} ${codes.join(', ')}` : '');

/** A rule in words, e.g. "Tổng điểm từ 80 trở lên". */
export function describeRule(r: Rule): string {
  switch (r.kind) {
    case 'TOTAL_AT_LEAST':
      return `Tổng điểm từ ${fmt(r.points)} trở lên`;
    case 'CRITERION_AT_LEAST':
      return `Mỗi tiêu chí ${r.criteria.join(', ')} từ ${fmt(r.points)} điểm trở lên`;
    case 'NO_CRITERION_ZERO':
      return `Không tiêu chí nào${list(r.criteria, 'trong')} bị 0 điểm`;
    case 'INDICATORS_PASS':
      return `Mọi chỉ tiêu${r.raisedOnly ? ' nâng mức' : ''}${list(r.criteria, 'của tiêu chí')}${list(r.indicators, '')} đạt ngưỡng ${RESULT_LEVEL_NAMES[r.level]}`;
    case 'MIN_INDICATORS_PASS':
      return `Ít nhất ${r.count} chỉ tiêu${list(r.criteria, 'của tiêu chí')}${list(r.indicators, '')} đạt ngưỡng ${RESULT_LEVEL_NAMES[r.level]}`;
    case 'LEVEL_HOLDS':
      return `Đạt ${RESULT_LEVEL_NAMES[r.level]}`;
  }
}

const maxPoints = (s: CriteriaSet) =>
  s.definition.criteria.reduce((n, c) => n + c.indicators.reduce((m, i) => m + (i.scoring === 'POINTS' ? i.maxPoints! : 0), 0), 0);

export const criteriaSetResolvers: GraphQLResolverMap<RecognitionContext> = {
  CriteriaSet: {
    titleName: (s: CriteriaSet) => LEARNING_TITLES.find((t) => t.title === s.title)?.name ?? s.title,
    statusName: (s: CriteriaSet) => CRITERIA_SET_STATUS_NAMES[s.status],
    sampleNote: (s: CriteriaSet) => (s.sample ? SAMPLE_NOTE : null),
    criteria: (s: CriteriaSet) => s.definition.criteria,
    levels: (s: CriteriaSet) => s.definition.levels.map((l) => ({ ...l, name: RESULT_LEVEL_NAMES[l.level] })),
    maxPoints,
    indicatorCount: (s: CriteriaSet) => s.definition.criteria.reduce((n, c) => n + c.indicators.length, 0),
    publishedAt: (s: CriteriaSet) => s.publishedAt?.toISOString() ?? null,
    retiredAt: (s: CriteriaSet) => s.retiredAt?.toISOString() ?? null,
    versions: (s: CriteriaSet, _: unknown, ctx: RecognitionContext) => ctx.loaders.criteriaSetVersions.load(s.code),
  },
  Criterion: {
    maxPoints: (c: { indicators: Indicator[] }) => c.indicators.reduce((m, i) => m + (i.scoring === 'POINTS' ? i.maxPoints! : 0), 0),
  },
  Indicator: {
    raisedAt: (i: Indicator) => (['LEVEL_1', 'LEVEL_2'] as ResultLevel[]).filter((l) => isRaisedAt(i, l)),
  },
  CriteriaRule: { description: (r: Rule) => describeRule(r) },
  Query: {
    criteriaSet: async (_: unknown, args: { id: string }, ctx: RecognitionContext) =>
      isUuid(args.id) ? ctx.loaders.criteriaSet.load(args.id) : null,
    criteriaSets: async (
      _: unknown,
      args: PageArgs & { title?: string | null; status?: string | null; subjectLevel?: string | null },
      ctx: RecognitionContext,
    ) => {
      const { limit, offset } = pageWindow(args);
      const conds: string[] = [];
      const params: unknown[] = [];
      for (const [column, value] of [
        ['title', args.title],
        ['status', args.status],
        ['subject_level', args.subjectLevel],
      ] as const) {
        if (!value) continue;
        conds.push(`${column} = ?`);
        params.push(value);
      }
      const where = conds.length ? `where ${conds.join(' and ')}` : '';
      const rows = await rawQuery<{ id: string }[]>(
        ctx.em,
        `select id from criteria_set ${where} order by title, subject_level, code, version desc limit ? offset ?`,
        [...params, limit, offset],
      );
      const [count] = await rawQuery<{ n: number }[]>(ctx.em, `select count(*)::int as n from criteria_set ${where}`, params);
      const n = count?.n ?? 0;
      const sets = await Promise.all(rows.map((r) => ctx.loaders.criteriaSet.load(r.id)));
      return connection(sets as CriteriaSet[], n, offset);
    },
    evaluateCriteriaSet: async (
      _: unknown,
      args: { id: string; scores: { indicatorCode: string; points?: number | null; passed?: boolean | null }[] },
      ctx: RecognitionContext,
    ) => {
      const set = isUuid(args.id) ? await ctx.loaders.criteriaSet.load(args.id) : null;
      if (!set) throw notFound('Không tìm thấy bộ tiêu chí', 'CRITERIA_SET_NOT_FOUND', ['id']);
      return evaluateCriteriaSet(set.definition, scoresFromInput(set.definition, args.scores));
    },
  },
  Mutation: {
    createCriteriaSet: async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      ctx.auth.requireRole('EDUCATION_OFFICER');
      const input = parseInput(createCriteriaSetInput, args.input);
      const s = await ctx.transact((em) => createCriteriaSet(em, input, ctx.auth.subject));
      ctx.logger.info({ criteriaSetId: s.id, code: s.code, actor: ctx.auth.subject }, 'criteria set created');
      return { criteriaSet: s };
    },
    updateCriteriaSetDraft: async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      ctx.auth.requireRole('EDUCATION_OFFICER');
      const input = parseInput(updateCriteriaSetDraftInput, args.input);
      const s = await ctx.transact((em) => updateCriteriaSetDraft(em, input, ctx.auth.subject));
      ctx.logger.info({ criteriaSetId: s.id, actor: ctx.auth.subject }, 'criteria set draft updated');
      return { criteriaSet: s };
    },
    publishCriteriaSet: async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      ctx.auth.requireRole('EDUCATION_OFFICER');
      const { id } = parseInput(idInput, args.input);
      const r = await ctx.transact((em) => publishCriteriaSet(em, id, ctx.auth.subject));
      ctx.logger.info({ criteriaSetId: id, retiredId: r.retired?.id, actor: ctx.auth.subject }, 'criteria set published');
      return r;
    },
    retireCriteriaSet: async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      ctx.auth.requireRole('EDUCATION_OFFICER');
      const { id } = parseInput(idInput, args.input);
      const s = await ctx.transact((em) => retireCriteriaSet(em, id, ctx.auth.subject));
      ctx.logger.info({ criteriaSetId: id, actor: ctx.auth.subject }, 'criteria set retired');
      return { criteriaSet: s };
    },
    newCriteriaSetVersion: async (_: unknown, args: { input: unknown }, ctx: RecognitionContext) => {
      ctx.auth.requireRole('EDUCATION_OFFICER');
      const { fromId } = parseInput(newVersionInput, args.input);
      const s = await ctx.transact((em) => newCriteriaSetVersion(em, fromId, ctx.auth.subject));
      ctx.logger.info({ criteriaSetId: s.id, fromId, version: s.version, actor: ctx.auth.subject }, 'criteria set version drafted');
      return { criteriaSet: s };
    },
  },
};
