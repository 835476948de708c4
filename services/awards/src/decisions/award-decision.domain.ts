import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  badInput,
  conflict,
  findParticipants,
  forbidden,
  isoDateInput,
  notFound,
  rawQuery,
  todayInVietnam,
  uuidArray,
  type AuthContext,
  type CloudEvent,
  type ReplicaScope,
  type Role,
  uuidInput as uuid,
  textInput as text,
  expectedVersionInput as expectedVersion,
} from '@xhht/infra';
import { AUTHORITY_LEVEL_NAMES, type AuthorityLevel } from '../forms/award-forms';
import { formsAt, type AwardForm } from '../forms/award-form.repository';
import { activeDisciplines } from '../nominations/discipline.domain';
import { markNominationsDecided, PROPOSER_ROLES } from '../nominations/nomination.domain';
import { loadNominations, type NominationRow } from '../nominations/nomination.repository';
import { findRound, type AwardRound } from '../rounds/award-round.repository';
import { NOMINEE_KIND_NAMES } from '../rounds/eligibility-rules';
import { awardDecidedEvent, awardRevokedEvent } from './award-decision.events';
import { loadAwards, loadDecisions, type AwardDecisionRow, type AwardRow } from './award-decision.repository';

/** Who issues and revokes award decisions for the authority's unit, besides administrators. */
export const DECIDER_ROLES: readonly Role[] = ['EMULATION_OFFICER'];

/** The kind of administrative unit that holds each granting authority (ministries and the Government sit at the nation). */
const AUTHORITY_UNIT_KIND: Record<AuthorityLevel, string> = {
  COMMUNE: 'COMMUNE',
  PROVINCE: 'PROVINCE',
  MINISTRY: 'NATION',
  GOVERNMENT: 'NATION',
};

const MAX_AWARDEES = 500;

const awardeeInput = z.object({
  nominationId: uuid('hồ sơ đề nghị'),
  /** As printed on the certificate: required for persons and households, whose names awards does not hold. */
  name: text('tên người, hộ gia đình hoặc tập thể được khen thưởng', 300).nullish(),
  /** Under the name (e.g. the address); by default the awardee's unit and the units above it. */
  detail: text('thông tin dưới tên', 300).nullish(),
  /** This awardee's own achievement line, when the decision's common one does not fit. */
  citation: text('nội dung thành tích', 1000).nullish(),
});

export const issueAwardDecisionInput = z.object({
  roundId: uuid('đợt khen thưởng'),
  formCode: z.string().trim().min(1, 'mã hình thức không được để trống'),
  number: text('số quyết định', 100),
  decidedOn: isoDateInput,
  issuingUnitId: uuid('đơn vị ra quyết định'),
  signerName: text('họ tên người ký', 200),
  signerTitle: text('chức danh người ký', 200).nullish(),
  place: text('địa danh', 100).nullish(),
  issuingBody: z.array(text('tên cơ quan ban hành', 200)).min(1, 'cần ít nhất một dòng').max(3, 'tối đa 3 dòng').nullish(),
  grantor: text('người khen thưởng', 300).nullish(),
  /** What every awardee is commended for, printed after "Đã có thành tích". */
  citation: text('nội dung thành tích', 1000).nullish(),
  awardees: z
    .array(awardeeInput)
    .min(1, 'quyết định phải có ít nhất một người, hộ hoặc tập thể được khen thưởng')
    .max(MAX_AWARDEES, `tối đa ${MAX_AWARDEES} người, hộ hoặc tập thể trong một quyết định`),
});
export type IssueAwardDecisionInput = z.infer<typeof issueAwardDecisionInput>;

export const revokeAwardInput = z.object({
  awardId: uuid('khen thưởng'),
  expectedVersion,
  reason: text('lý do thu hồi', 2000),
  /** The number of the decision that revokes it. */
  revocationRef: text('số quyết định thu hồi', 100),
  revokedOn: isoDateInput.nullish(),
});
export type RevokeAwardInput = z.infer<typeof revokeAwardInput>;

const field = (...names: (string | number)[]) => ['input', ...names.map(String)];

/** Decision numbers compared as officials read them: case, spacing and letter forms ignored. */
const numberKey = (n: string) => n.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, '');

const upper = (s: string) => s.normalize('NFC').toLocaleUpperCase('vi');
/** "Chủ tịch Ủy ban nhân dân tỉnh" → "CHỦ TỊCH": the signature block names the office, the body heads the document. */
const signatureTitle = (signerTitle: string) => upper(signerTitle.split(/\s+(?=Ủy ban|Bộ\s|Chính phủ|cơ quan)/u)[0]!.replace(/,$/, ''));
/** "Tỉnh Lạng Sơn" → "Lạng Sơn": the place name a document is dated at. */
const placeName = (unitName: string) =>
  unitName.replace(/^(Tỉnh|Thành phố|Xã|Phường|Đặc khu|Thị trấn|Thị xã|Huyện|Quận)\s+/u, '').trim() || unitName;

interface UnitOn {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
}

/** The units' versions in force on `day` in the hierarchy replica, by id (unknown ones absent); one statement. */
async function unitsOn(em: EntityManager, unitIds: readonly string[], day: string): Promise<Map<string, UnitOn>> {
  if (unitIds.length === 0) return new Map();
  const rows = await rawQuery<UnitOn[]>(
    em,
    `select unit_id as id, name, kind, parent_id as "parentId" from admin_unit_version_replica
     where unit_id = any(?::uuid[]) and valid_from <= ?::date and (valid_to is null or valid_to >= ?::date)`,
    [uuidArray(unitIds), day, day],
  );
  return new Map(rows.map((u) => [u.id, u]));
}

const unitOn = async (em: EntityManager, unitId: string, day: string) => (await unitsOn(em, [unitId], day)).get(unitId) ?? null;

/**
 * "Phường Đông Kinh, Tỉnh Lạng Sơn" for each unit: the unit and those above it on `day`, the nation
 * left out; one statement for all of a decision's units.
 */
async function unitPaths(em: EntityManager, unitIds: readonly string[], day: string): Promise<Map<string, string>> {
  if (unitIds.length === 0) return new Map();
  const rows = await rawQuery<{ root: string; name: string; kind: string }[]>(
    em,
    `with recursive up(root, id, name, kind, parent_id, depth) as (
       select unit_id, unit_id, name, kind, parent_id, 0 from admin_unit_version_replica
        where unit_id = any(?::uuid[]) and valid_from <= ?::date and (valid_to is null or valid_to >= ?::date)
       union all
       select up.root, v.unit_id, v.name, v.kind, v.parent_id, up.depth + 1 from admin_unit_version_replica v join up on v.unit_id = up.parent_id
        where v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date) and up.depth < 10
     )
     select root, name, kind from up order by root, depth`,
    [uuidArray(unitIds), day, day, day, day],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) if (r.kind !== 'NATION') out.set(r.root, [...(out.get(r.root) ?? []), r.name]);
  return new Map([...out].map(([id, names]) => [id, names.join(', ')]));
}

/** What the certificate prints for the authority when the decision does not say: who issues, who grants, where. */
function authorityDefaults(form: AwardForm, unit: UnitOn): { issuingBody: string[]; grantor: string; place: string } {
  if (form.authorityLevel === 'MINISTRY')
    return { issuingBody: ['BỘ GIÁO DỤC VÀ ĐÀO TẠO'], grantor: upper(form.signerTitle), place: 'Hà Nội' };
  if (form.authorityLevel === 'GOVERNMENT') return { issuingBody: ['CHÍNH PHỦ'], grantor: upper(form.signerTitle), place: 'Hà Nội' };
  const people = form.signerTitle.startsWith('Chủ tịch Ủy ban nhân dân');
  return {
    issuingBody: ['ỦY BAN NHÂN DÂN', upper(unit.name)],
    grantor: people ? `CHỦ TỊCH ỦY BAN NHÂN DÂN ${upper(unit.name)}` : upper(form.signerTitle),
    place: placeName(unit.name),
  };
}

/**
 * The authority a form needs: the issuing unit is of the form's level (a commune for the commune
 * chair's Giấy khen, a province for the province chair's Bằng khen, the nation for a Minister's or
 * the Prime Minister's), covers the round's scope, and the caller is its emulation officer.
 */
async function requireAuthority(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  form: AwardForm,
  round: AwardRound,
  issuingUnitId: string,
  day: string,
): Promise<UnitOn> {
  const unit = await unitOn(em, issuingUnitId, day);
  if (!unit) throw badInput('Không tìm thấy đơn vị ra quyết định vào ngày quyết định', 'ISSUING_UNIT_NOT_FOUND', field('issuingUnitId'));
  const needed = AUTHORITY_UNIT_KIND[form.authorityLevel];
  if (unit.kind !== needed) {
    throw forbidden(
      `${unit.name} không có thẩm quyền tặng ${form.name}: hình thức này do ${AUTHORITY_LEVEL_NAMES[form.authorityLevel].toLowerCase()} quyết định`,
      'WRONG_AUTHORITY',
    );
  }
  if (!(await scope.subtree(issuingUnitId, day)).includes(round.scopeUnitId)) {
    throw forbidden(`${unit.name} không có thẩm quyền quyết định khen thưởng cho đợt "${round.name}"`, 'WRONG_AUTHORITY');
  }
  await scope.requireCovers(auth, DECIDER_ROLES, [issuingUnitId]);
  return unit;
}

/** Where each nominee belongs when decided: a participant's unit, or the administrative unit itself. */
async function nomineeUnits(em: EntityManager, nominations: NominationRow[]): Promise<Map<string, string>> {
  const participants = await findParticipants(
    em,
    nominations.filter((n) => n.nomineeKind !== 'ADMIN_UNIT').map((n) => n.nomineeId),
  );
  return new Map(
    nominations.map((n) => [
      n.nomineeId,
      n.nomineeKind === 'ADMIN_UNIT' ? n.nomineeId : (participants.get(n.nomineeId)?.unitId ?? n.proposingUnitId),
    ]),
  );
}

/** The name awards knows for a nominee: clans, organizations and units; persons' and households' names are personal data it never receives. */
async function knownNames(em: EntityManager, nominations: NominationRow[], day: string): Promise<Map<string, string>> {
  const units = await unitsOn(
    em,
    nominations.filter((n) => n.nomineeKind === 'ADMIN_UNIT').map((n) => n.nomineeId),
    day,
  );
  const participants = await findParticipants(
    em,
    nominations.filter((n) => n.nomineeKind !== 'ADMIN_UNIT').map((n) => n.nomineeId),
  );
  const out = new Map<string, string>();
  for (const n of nominations) {
    const name = n.nomineeKind === 'ADMIN_UNIT' ? units.get(n.nomineeId)?.name : participants.get(n.nomineeId)?.name;
    if (name) out.set(n.nomineeId, name);
  }
  return out;
}

/**
 * Issues an award decision: number, date, signer and awardees, each an APPROVED nomination of the
 * round for the form. Checked in this order, a refusal writing nothing: the round (not a draft) and
 * its form, in force on the decision's day, not a day in the future; the authority (the issuing
 * unit's level against the form, its reach over the round, the caller its emulation officer:
 * FORBIDDEN WRONG_AUTHORITY / OUTSIDE_SCOPE); the number not used by the unit that year; each
 * awardee's nomination (of this round and form, once in the decision, a printed name for persons and
 * households, not under discipline on the day). The nominations become DECIDED in the same
 * transaction (an initiative they rest on is claimed for the award there). Publishes award.decided.
 */
export async function issueAwardDecision(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: IssueAwardDecisionInput,
): Promise<{ result: AwardDecisionRow; events: CloudEvent[] }> {
  const round = await findRound(em, input.roundId);
  if (!round) throw badInput('Không tìm thấy đợt khen thưởng', 'ROUND_NOT_FOUND', field('roundId'));
  if (round.status === 'DRAFT') {
    throw conflict(`Đợt khen thưởng "${round.name}" chưa được mở, chưa có hồ sơ để quyết định`, 'ROUND_NOT_OPEN', field('roundId'));
  }
  if (!round.forms.some((f) => f.formCode === input.formCode)) {
    throw badInput(`Đợt khen thưởng "${round.name}" không xét hình thức ${input.formCode}`, 'FORM_NOT_IN_ROUND', field('formCode'));
  }
  if (input.decidedOn > todayInVietnam()) {
    throw badInput(`Ngày quyết định ${input.decidedOn} chưa đến`, 'DECISION_DATE_IN_FUTURE', field('decidedOn'));
  }
  const form = (await formsAt(em, [input.formCode], input.decidedOn)).get(input.formCode);
  if (!form) {
    throw badInput(`Hình thức ${input.formCode} không có hiệu lực vào ngày ${input.decidedOn}`, 'FORM_NOT_IN_FORCE', field('decidedOn'));
  }
  const unit = await requireAuthority(em, auth, scope, form, round, input.issuingUnitId, input.decidedOn);

  const ids = input.awardees.map((a) => a.nominationId);
  const repeated = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (repeated >= 0) {
    throw badInput('Một hồ sơ chỉ được ghi một lần trong quyết định', 'DUPLICATE_AWARDEE', field('awardees', repeated, 'nominationId'));
  }
  const nominations = await loadNominations(em, ids);
  const names = await knownNames(em, [...nominations.values()], input.decidedOn);
  const disciplined = await activeDisciplines(
    em,
    [...nominations.values()].map((n) => n.nomineeId),
    input.decidedOn,
  );
  for (const [i, a] of input.awardees.entries()) {
    const n = nominations.get(a.nominationId);
    if (!n) throw notFound(`Không tìm thấy hồ sơ đề nghị ${a.nominationId}`, 'NOMINATION_NOT_FOUND', field('awardees', i, 'nominationId'));
    if (n.roundId !== round.id || n.formCode !== input.formCode) {
      throw badInput(
        `Hồ sơ ${n.id} không đề nghị ${form.name} trong đợt "${round.name}"`,
        'NOMINATION_NOT_FOR_DECISION',
        field('awardees', i, 'nominationId'),
      );
    }
    if (!a.name && !names.has(n.nomineeId)) {
      throw badInput(
        `Cần ghi tên ${NOMINEE_KIND_NAMES[n.nomineeKind].toLowerCase()} được khen thưởng như in trên ${form.name.toLowerCase()}`,
        'AWARDEE_NAME_REQUIRED',
        field('awardees', i, 'name'),
      );
    }
    const d = disciplined.get(n.nomineeId);
    if (d) {
      throw conflict(
        `Đối tượng của hồ sơ ${n.id} đang trong thời gian thi hành kỷ luật (quyết định ${d.decisionRef}), chưa được khen thưởng`,
        'NOMINEE_UNDER_DISCIPLINE',
        field('awardees', i, 'nominationId'),
      );
    }
  }

  const year = Number(input.decidedOn.slice(0, 4));
  const taken = await rawQuery<unknown[]>(
    em,
    `select 1 from award_decision where issuing_unit_id = ? and extract(year from decided_on) = ? and number_key = ?`,
    [input.issuingUnitId, year, numberKey(input.number)],
  );
  if (taken.length) {
    throw conflict(`${unit.name} đã có quyết định số ${input.number} năm ${year}`, 'DECISION_NUMBER_TAKEN', field('number'));
  }

  // APPROVED → DECIDED under the nominations' row locks; CONFLICT (nothing written) if one is not APPROVED
  await markNominationsDecided(em, ids, input.number);

  const defaults = authorityDefaults(form, unit);
  const decisionId = randomUUID();
  try {
    await rawQuery(
      em,
      `insert into award_decision (id, round_id, form_code, form_version_id, number, number_key, decided_on, issuing_unit_id, issuing_body,
         grantor, place, signer_name, signer_title, citation, created_at, created_by)
       values (?, ?, ?, ?, ?, ?, ?::date, ?, ?::text[], ?, ?, ?, ?, ?, now(), ?)`,
      [
        decisionId,
        round.id,
        form.code,
        form.id,
        input.number,
        numberKey(input.number),
        input.decidedOn,
        input.issuingUnitId,
        input.issuingBody ?? defaults.issuingBody,
        input.grantor ?? defaults.grantor,
        input.place ?? defaults.place,
        input.signerName,
        input.signerTitle ?? signatureTitle(form.signerTitle),
        input.citation ?? `xuất sắc trong phong trào khuyến học, khuyến tài, xây dựng xã hội học tập năm ${round.year}`,
        auth.subject,
      ],
    );
  } catch (err) {
    // a concurrent decision took the number between the check and the insert
    if ((err as { code?: string }).code === '23505') {
      throw conflict(`${unit.name} đã có quyết định số ${input.number} năm ${year}`, 'DECISION_NUMBER_TAKEN', field('number'));
    }
    throw err;
  }

  // register numbers (số vào sổ) follow one another per issuing unit and year
  await rawQuery(em, 'select pg_advisory_xact_lock(hashtext(?))', [`award_register:${input.issuingUnitId}:${year}`]);
  const [{ last }] = (await rawQuery<{ last: number }[]>(
    em,
    'select coalesce(max(register_seq), 0)::int as last from award where issuing_unit_id = ? and year = ?',
    [input.issuingUnitId, year],
  )) as [{ last: number }];
  const units = await nomineeUnits(em, [...nominations.values()]);
  // the line under an awardee's name: a participant's unit and those above it, or a unit's parent and those above it
  const ownUnits = await unitsOn(
    em,
    [...nominations.values()].filter((n) => n.nomineeKind === 'ADMIN_UNIT').map((n) => n.nomineeId),
    input.decidedOn,
  );
  const detailUnitOf = (n: NominationRow) =>
    n.nomineeKind === 'ADMIN_UNIT' ? (ownUnits.get(n.nomineeId)?.parentId ?? null) : units.get(n.nomineeId)!;
  const detailUnits = input.awardees.filter((a) => !a.detail).map((a) => detailUnitOf(nominations.get(a.nominationId)!));
  const paths = await unitPaths(em, [...new Set(detailUnits.filter((u): u is string => !!u))], input.decidedOn);
  const rows = input.awardees.map((a, i) => {
    const n = nominations.get(a.nominationId)!;
    const seq = last + i + 1;
    const detailUnit = detailUnitOf(n);
    return {
      id: randomUUID(),
      position: i + 1,
      nominationId: n.id,
      nomineeKind: n.nomineeKind,
      nomineeId: n.nomineeId,
      nomineeUnitId: units.get(n.nomineeId)!,
      name: a.name ?? names.get(n.nomineeId)!,
      detail: a.detail ?? ((detailUnit && paths.get(detailUnit)) || null),
      citation: a.citation ?? null,
      seq,
      registerNumber: `${String(seq).padStart(4, '0')}/${year}`,
    };
  });
  // every awardee in one statement: a decision may list hundreds
  await rawQuery(
    em,
    `insert into award (id, decision_id, position, nomination_id, nominee_kind, nominee_id, nominee_unit_id, awardee_name, awardee_detail,
       citation, issuing_unit_id, year, register_seq, register_number, version)
     select r.id, ?, r.position, r."nominationId", r."nomineeKind", r."nomineeId", r."nomineeUnitId", r.name, r.detail, r.citation, ?, ?,
       r.seq, r."registerNumber", 1
     from jsonb_to_recordset(?::jsonb) as r(id uuid, position int, "nominationId" uuid, "nomineeKind" text, "nomineeId" uuid,
       "nomineeUnitId" uuid, name text, detail text, citation text, seq int, "registerNumber" text)`,
    [decisionId, input.issuingUnitId, year, JSON.stringify(rows)],
  );
  const loaded = await loadAwards(
    em,
    rows.map((r) => r.id),
  );
  const decision = (await loadDecisions(em, [decisionId])).get(decisionId)!;
  return {
    result: decision,
    events: [
      awardDecidedEvent(
        decision,
        form,
        rows.map((r) => loaded.get(r.id)!),
      ),
    ],
  };
}
/**
 * Revokes one award (thu hồi khen thưởng) with a reason and the revoking decision's number, once
 * (CONFLICT AWARD_ALREADY_REVOKED). By the emulation officers of the unit that granted it. The award
 * stays on record, marked revoked; its certificate is no longer issued. Publishes award.revoked.
 */
export async function revokeAward(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  input: RevokeAwardInput,
): Promise<{ result: AwardRow; events: CloudEvent[] }> {
  const award = (await loadAwards(em, [input.awardId], true)).get(input.awardId);
  if (!award) throw notFound('Không tìm thấy khen thưởng', 'AWARD_NOT_FOUND', field('awardId'));
  await scope.requireCovers(auth, DECIDER_ROLES, [award.issuingUnitId]);
  if (award.revokedOn) {
    throw conflict(
      `Khen thưởng đã bị thu hồi ngày ${award.revokedOn} (quyết định ${award.revocationRef})`,
      'AWARD_ALREADY_REVOKED',
      field('awardId'),
    );
  }
  if (award.version !== input.expectedVersion) {
    throw conflict(
      `Khen thưởng đã được cập nhật bởi người khác (phiên bản hiện tại ${award.version}, bạn gửi ${input.expectedVersion}); hãy tải lại`,
      'STALE_VERSION',
      field('expectedVersion'),
    );
  }
  const decision = (await loadDecisions(em, [award.decisionId])).get(award.decisionId)!;
  const revokedOn = input.revokedOn ?? todayInVietnam();
  if (revokedOn > todayInVietnam()) throw badInput(`Ngày thu hồi ${revokedOn} chưa đến`, 'REVOCATION_DATE_IN_FUTURE', field('revokedOn'));
  if (revokedOn < decision.decidedOn) {
    throw badInput(
      `Ngày thu hồi ${revokedOn} trước ngày quyết định khen thưởng ${decision.decidedOn}`,
      'REVOCATION_BEFORE_DECISION',
      field('revokedOn'),
    );
  }
  await rawQuery(
    em,
    `update award set revoked_on = ?::date, revocation_ref = ?, revocation_reason = ?, revoked_at = now(), revoked_by = ?, version = version + 1
     where id = ?`,
    [revokedOn, input.revocationRef, input.reason, auth.subject, award.id],
  );
  const after = (await loadAwards(em, [award.id])).get(award.id)!;
  return { result: after, events: [awardRevokedEvent(after, decision)] };
}

/**
 * Who reads an awardee's name and downloads the certificate: administrators, the emulation officers
 * of the granting unit, the proposing unit's officers (they hand it over), and the person awarded.
 * Names of persons and households are personal data; everything else about an award is public.
 */
export async function canReadAwardee(
  auth: AuthContext,
  scope: ReplicaScope,
  award: AwardRow,
  nomination: NominationRow | null,
): Promise<boolean> {
  if (auth.isSystemAdmin) return true;
  if (award.nomineeKind === 'PERSON' && auth.personIds.includes(award.nomineeId)) return true;
  if (await scope.covers(auth, DECIDER_ROLES, [award.issuingUnitId])) return true;
  return nomination !== null && scope.covers(auth, PROPOSER_ROLES, [nomination.proposingUnitId]);
}
