import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, inputError, newEvent, notFound, rawQuery, type CloudEvent } from '@xhht/infra';
import { criteriaDefinitionSchema, levelsFitTitle, type CriteriaDefinition } from './criteria-definition';
import { CriteriaSet, type CriteriaSetStatus } from './criteria-set.entity';
import type { IndicatorScores } from './criteria-engine';
import { TITLE_SUBJECT_LEVELS } from '../titles/learning-titles';

export const CRITERIA_SET_PUBLISHED = 'vn.xhht.recognition.criteria-set.published.v1';

export const CRITERIA_SET_STATUS_NAMES: Record<CriteriaSetStatus, string> = {
  DRAFT: 'Dự thảo',
  PUBLISHED: 'Đã ban hành',
  RETIRED: 'Hết hiệu lực',
};

const TITLES = ['LEARNING_FAMILY', 'LEARNING_CLAN', 'LEARNING_COMMUNITY', 'LEARNING_UNIT', 'LEARNING_CITIZEN'] as const;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ngày dạng YYYY-MM-DD');
const name = z.string().trim().min(1, 'tên không được để trống').max(500, 'tên dài tối đa 500 ký tự');
const legalBasis = z.string().trim().min(1, 'căn cứ pháp lý không được để trống').max(2000);

export const createCriteriaSetInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/, 'mã gồm chữ, số, dấu chấm, gạch, tối đa 50 ký tự'),
  title: z.enum(TITLES),
  subjectLevel: z.string().nullish(),
  name,
  legalBasis,
  validFrom: isoDate,
  validTo: isoDate.nullish(),
  definition: z.unknown(),
});
export const updateCriteriaSetDraftInput = z.object({
  id: z.string().uuid('mã bộ tiêu chí không hợp lệ'),
  subjectLevel: z.string().nullish(),
  name: name.optional(),
  legalBasis: legalBasis.optional(),
  validFrom: isoDate.optional(),
  validTo: isoDate.nullish(),
  definition: z.unknown().optional(),
});
export const idInput = z.object({ id: z.string().uuid('mã bộ tiêu chí không hợp lệ') });
export const newVersionInput = z.object({ fromId: z.string().uuid('mã bộ tiêu chí không hợp lệ') });

/** The definition of an input, validated, and fitting its title (ACHIEVED or LEVEL_1/2). */
export function parseDefinition(raw: unknown, title: string): CriteriaDefinition {
  const parsed = criteriaDefinitionSchema.safeParse(raw);
  if (!parsed.success) throw inputError(parsed.error.issues.map((i) => ({ ...i, path: ['definition', ...i.path] })));
  const misfit = levelsFitTitle(parsed.data, title);
  if (misfit) throw badInput(`Quy tắc xếp mức không hợp lệ: ${misfit}`, 'LEVELS_DO_NOT_FIT_TITLE', ['input', 'definition', 'levels']);
  return parsed.data;
}

function subjectLevelFor(title: string, given: string | null | undefined): string {
  const allowed = TITLE_SUBJECT_LEVELS[title]!;
  if (!given) {
    if (allowed.length === 1) return allowed[0]!;
    throw badInput('Bộ tiêu chí Cộng đồng học tập cần cấp áp dụng: VILLAGE, COMMUNE, DISTRICT hoặc PROVINCE', 'SUBJECT_LEVEL_REQUIRED', [
      'input',
      'subjectLevel',
    ]);
  }
  if (!allowed.includes(given))
    throw badInput(`Cấp áp dụng ${given} không hợp với danh hiệu; chọn ${allowed.join(', ')}`, 'SUBJECT_LEVEL_MISMATCH', [
      'input',
      'subjectLevel',
    ]);
  return given;
}

function checkPeriod(validFrom: string, validTo: string | null | undefined) {
  if (validTo && validTo < validFrom) throw badInput('Ngày hết hiệu lực phải sau ngày có hiệu lực', 'INVALID_PERIOD', ['input', 'validTo']);
}

export async function findCriteriaSet(em: EntityManager, id: string, field = ['input', 'id']): Promise<CriteriaSet> {
  const set = await em.findOne(CriteriaSet, { id });
  if (!set) throw notFound('Không tìm thấy bộ tiêu chí', 'CRITERIA_SET_NOT_FOUND', field);
  return set;
}

const describe = (s: CriteriaSet) => `Bộ tiêu chí ${s.code} phiên bản ${s.version}`;

function requireDraft(s: CriteriaSet) {
  if (s.status !== 'DRAFT')
    throw conflict(
      `${describe(s)} đang ở trạng thái ${CRITERIA_SET_STATUS_NAMES[s.status]}: bộ đã ban hành không được sửa, hãy tạo phiên bản mới`,
      'CRITERIA_SET_NOT_DRAFT',
      ['input', 'id'],
    );
}

/** Serialises writers of one family (publishing, new versions) within the transaction. */
async function lockFamily(em: EntityManager, code: string) {
  await rawQuery(em, `select pg_advisory_xact_lock(hashtext('criteria_set:' || ?))`, [code]);
}

export async function createCriteriaSet(
  em: EntityManager,
  input: z.infer<typeof createCriteriaSetInput>,
  actor: string,
): Promise<{ result: CriteriaSet; events: CloudEvent[] }> {
  const subjectLevel = subjectLevelFor(input.title, input.subjectLevel);
  checkPeriod(input.validFrom, input.validTo);
  const definition = parseDefinition(input.definition, input.title);
  await lockFamily(em, input.code);
  if (await em.findOne(CriteriaSet, { code: input.code }))
    throw conflict(`Mã bộ tiêu chí ${input.code} đã có; sửa bằng cách tạo phiên bản mới`, 'CRITERIA_SET_CODE_TAKEN', ['input', 'code']);
  const s = new CriteriaSet();
  Object.assign(s, {
    id: randomUUID(),
    code: input.code,
    version: 1,
    title: input.title,
    subjectLevel,
    name: input.name,
    legalBasis: input.legalBasis,
    validFrom: input.validFrom,
    validTo: input.validTo ?? null,
    status: 'DRAFT',
    sample: false,
    definition,
    createdBy: actor,
    updatedBy: actor,
  });
  em.persist(s);
  return { result: s, events: [] };
}

export async function updateCriteriaSetDraft(
  em: EntityManager,
  input: z.infer<typeof updateCriteriaSetDraftInput>,
  actor: string,
): Promise<{ result: CriteriaSet; events: CloudEvent[] }> {
  const s = await findCriteriaSet(em, input.id);
  await lockFamily(em, s.code);
  await em.refresh(s);
  requireDraft(s);
  if (input.subjectLevel !== undefined) s.subjectLevel = subjectLevelFor(s.title, input.subjectLevel ?? s.subjectLevel);
  if (input.name !== undefined) s.name = input.name;
  if (input.legalBasis !== undefined) s.legalBasis = input.legalBasis;
  if (input.validFrom !== undefined) s.validFrom = input.validFrom;
  if (input.validTo !== undefined) s.validTo = input.validTo;
  checkPeriod(s.validFrom, s.validTo);
  if (input.definition !== undefined) s.definition = parseDefinition(input.definition, s.title);
  s.updatedBy = actor;
  s.updatedAt = new Date();
  return { result: s, events: [] };
}

export async function publishCriteriaSet(
  em: EntityManager,
  id: string,
  actor: string,
): Promise<{ result: { criteriaSet: CriteriaSet; retired: CriteriaSet | null }; events: CloudEvent[] }> {
  const s = await findCriteriaSet(em, id);
  await lockFamily(em, s.code);
  await em.refresh(s);
  requireDraft(s);
  // the definition was checked on write; check again, the rules may have tightened since
  parseDefinition(s.definition, s.title);
  const now = new Date();
  const previous = await em.findOne(CriteriaSet, { code: s.code, status: 'PUBLISHED' });
  if (previous) {
    Object.assign(previous, { status: 'RETIRED', retiredAt: now, retiredBy: actor, updatedAt: now, updatedBy: actor });
    // the partial unique index allows one published version: retire before publishing
    await em.flush();
  }
  Object.assign(s, { status: 'PUBLISHED', publishedAt: now, publishedBy: actor, updatedAt: now, updatedBy: actor });
  const event = newEvent(CRITERIA_SET_PUBLISHED, s.id, {
    id: s.id,
    code: s.code,
    version: s.version,
    title: s.title,
    subjectLevel: s.subjectLevel,
    validFrom: s.validFrom,
    validTo: s.validTo ?? null,
    sample: s.sample,
    criterionCount: s.definition.criteria.length,
    indicatorCount: s.definition.criteria.reduce((n, c) => n + c.indicators.length, 0),
    levels: s.definition.levels.map((l) => l.level),
    retiredId: previous?.id ?? null,
  });
  return { result: { criteriaSet: s, retired: previous }, events: [event] };
}

export async function retireCriteriaSet(
  em: EntityManager,
  id: string,
  actor: string,
): Promise<{ result: CriteriaSet; events: CloudEvent[] }> {
  const s = await findCriteriaSet(em, id);
  await lockFamily(em, s.code);
  await em.refresh(s);
  if (s.status !== 'PUBLISHED')
    throw conflict(
      `${describe(s)} đang ở trạng thái ${CRITERIA_SET_STATUS_NAMES[s.status]}: chỉ bộ đã ban hành mới thôi áp dụng được`,
      'CRITERIA_SET_NOT_PUBLISHED',
      ['input', 'id'],
    );
  const now = new Date();
  Object.assign(s, { status: 'RETIRED', retiredAt: now, retiredBy: actor, updatedAt: now, updatedBy: actor });
  return { result: s, events: [] };
}

/** "Editing" a set: a DRAFT copy of it as the family's next version. */
export async function newCriteriaSetVersion(
  em: EntityManager,
  fromId: string,
  actor: string,
): Promise<{ result: CriteriaSet; events: CloudEvent[] }> {
  const from = await findCriteriaSet(em, fromId, ['input', 'fromId']);
  await lockFamily(em, from.code);
  const draft = await em.findOne(CriteriaSet, { code: from.code, status: 'DRAFT' });
  if (draft)
    throw conflict(
      `Bộ tiêu chí ${from.code} đã có bản dự thảo (phiên bản ${draft.version}); sửa bản đó thay vì tạo thêm`,
      'CRITERIA_SET_DRAFT_EXISTS',
      ['input', 'fromId'],
    );
  const [row] = await rawQuery<{ max: number }[]>(em, 'select max(version)::int as max from criteria_set where code = ?', [from.code]);
  const max = row?.max ?? from.version;
  const s = new CriteriaSet();
  Object.assign(s, {
    id: randomUUID(),
    code: from.code,
    version: max + 1,
    title: from.title,
    subjectLevel: from.subjectLevel,
    name: from.name,
    legalBasis: from.legalBasis,
    validFrom: from.validFrom,
    validTo: from.validTo ?? null,
    status: 'DRAFT',
    sample: false,
    definition: structuredClone(from.definition),
    createdBy: actor,
    updatedBy: actor,
  });
  em.persist(s);
  return { result: s, events: [] };
}

/** GraphQL score inputs as the engine's scores: `passed` for pass/fail indicators, `points` otherwise. */
export function scoresFromInput(
  def: CriteriaDefinition,
  input: { indicatorCode: string; points?: number | null; passed?: boolean | null }[],
): IndicatorScores {
  const scoring = new Map(def.criteria.flatMap((c) => c.indicators.map((i) => [i.code, i.scoring] as const)));
  const scores: Record<string, number> = {};
  for (const s of input) {
    if (s.indicatorCode in scores) throw badInput(`Chỉ tiêu ${s.indicatorCode} được chấm hai lần`, 'DUPLICATE_SCORE', ['scores']);
    const kind = scoring.get(s.indicatorCode);
    if (kind === 'PASS_FAIL' && s.passed != null) scores[s.indicatorCode] = s.passed ? 1 : 0;
    else if (kind === 'POINTS' && s.passed != null)
      throw badInput(`Chỉ tiêu ${s.indicatorCode} chấm bằng điểm, không chấm đạt/không đạt`, 'SCORE_KIND_MISMATCH', ['scores']);
    else if (s.points != null) scores[s.indicatorCode] = s.points;
  }
  return scores;
}

/** The criteria sets a cycle of `title` at `subjectLevel` in `year` may use: published and in force that year, official before samples. */
export async function findCriteriaSetInForce(
  em: EntityManager,
  title: string,
  subjectLevel: string,
  year: number,
): Promise<CriteriaSet | null> {
  const rows = await rawQuery<{ id: string }[]>(
    em,
    `select id from criteria_set
     where title = ? and subject_level = ? and status = 'PUBLISHED'
       and valid_from <= make_date(?, 12, 31) and (valid_to is null or valid_to >= make_date(?, 1, 1))
     order by sample, valid_from desc, version desc limit 1`,
    [title, subjectLevel, year, year],
  );
  return rows[0] ? em.findOne(CriteriaSet, { id: rows[0].id }) : null;
}
