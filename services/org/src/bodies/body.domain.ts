import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, newEvent, notFound, isoDateInput, parseIsoDate, todayInVietnam, type CloudEvent } from '@xhht/infra';
import { requireLivingUnit } from '../common/units';
import { Organization } from '../organizations/organization.entity';
import { Body, BodyMember, BODY_KINDS, MEMBER_ROLES } from './body.entity';

export const BODY_ESTABLISHED = 'vn.xhht.org.body.established.v1';
export const BODY_MEMBER_ADDED = 'vn.xhht.org.body.member-added.v1';
export const BODY_MEMBER_ENDED = 'vn.xhht.org.body.member-ended.v1';

const text = (max: number, empty: string) => z.string().trim().min(1, empty).max(max, `dài tối đa ${max} ký tự`);
const date = isoDateInput;

const memberInput = z.object({
  fullName: text(200, 'họ tên không được để trống'),
  position: text(300, 'chức vụ không được để trống'),
  role: z.enum(MEMBER_ROLES),
  organizationId: z.string().uuid('mã tổ chức không hợp lệ').nullish(),
});

export const establishBodyInput = z.object({
  unitId: z.string().uuid('mã đơn vị không hợp lệ'),
  kind: z.enum(BODY_KINDS),
  name: text(300, 'tên không được để trống'),
  decisionNumber: z.string().trim().max(100).nullish(),
  establishedOn: date.nullish(),
  members: z.array(memberInput).max(200).default([]),
});
export const addBodyMemberInput = memberInput.extend({ bodyId: z.string().uuid('mã ban không hợp lệ'), validFrom: date.nullish() });
export const endBodyMembershipInput = z.object({ memberId: z.string().uuid('mã thành viên không hợp lệ'), validTo: date.nullish() });

// members' names and positions are part of the public decision establishing the body
const memberData = (m: BodyMember) => ({
  id: m.id,
  bodyId: m.bodyId,
  fullName: m.fullName,
  position: m.position,
  role: m.memberRole,
  organizationId: m.organizationId ?? null,
  validFrom: m.validFrom,
  validTo: m.validTo ?? null,
});

async function requireOrganizations(em: EntityManager, ids: (string | null | undefined)[], field: (i: number) => string[]) {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  const found = new Set((await em.find(Organization, { id: { $in: wanted } })).map((o) => o.id));
  ids.forEach((id, i) => {
    if (id && !found.has(id)) throw badInput('Không tìm thấy tổ chức', 'ORGANIZATION_NOT_FOUND', field(i));
  });
}

const newMember = (bodyId: string, m: z.infer<typeof memberInput>, validFrom: string) =>
  Object.assign(new BodyMember(), {
    id: randomUUID(),
    bodyId,
    fullName: m.fullName,
    position: m.position,
    memberRole: m.role,
    organizationId: m.organizationId ?? null,
    accountId: null,
    validFrom,
    validTo: null,
  });

/** Steering committees and emulation councils sit at communes and above; one active of each kind per unit. */
export async function establishBody(
  em: EntityManager,
  input: z.infer<typeof establishBodyInput>,
  actor: string,
): Promise<{ result: Body; events: CloudEvent[] }> {
  await requireLivingUnit(em, input.unitId, todayInVietnam(), ['NATION', 'PROVINCE', 'DISTRICT', 'COMMUNE'], ['input', 'unitId']);
  const established = input.establishedOn ? parseIsoDate(input.establishedOn) : todayInVietnam();
  if (await em.findOne(Body, { unitId: input.unitId, kind: input.kind, dissolvedOn: null })) {
    throw conflict('Đơn vị đã có ban này đang hoạt động', 'BODY_EXISTS', ['input', 'kind']);
  }
  await requireOrganizations(
    em,
    input.members.map((m) => m.organizationId),
    (i) => ['input', 'members', String(i), 'organizationId'],
  );
  const body = Object.assign(new Body(), {
    id: randomUUID(),
    unitId: input.unitId,
    kind: input.kind,
    name: input.name,
    decisionNumber: input.decisionNumber ?? null,
    establishedOn: established,
    dissolvedOn: null,
    createdBy: actor,
  });
  em.persist(body);
  const members = input.members.map((m) => newMember(body.id, m, established));
  members.forEach((m) => em.persist(m));
  const event = newEvent(BODY_ESTABLISHED, body.id, {
    id: body.id,
    unitId: body.unitId,
    kind: body.kind,
    name: body.name,
    decisionNumber: body.decisionNumber,
    establishedOn: body.establishedOn,
    members: members.map(memberData),
  });
  return { result: body, events: [event] };
}

export async function addBodyMember(
  em: EntityManager,
  input: z.infer<typeof addBodyMemberInput>,
): Promise<{ result: BodyMember; events: CloudEvent[] }> {
  const body = await em.findOne(Body, { id: input.bodyId });
  if (!body) throw notFound('Không tìm thấy ban', 'BODY_NOT_FOUND', ['input', 'bodyId']);
  if (body.dissolvedOn) throw badInput('Ban đã giải thể', 'BODY_DISSOLVED', ['input', 'bodyId']);
  await requireOrganizations(em, [input.organizationId], () => ['input', 'organizationId']);
  const validFrom = input.validFrom ? parseIsoDate(input.validFrom) : todayInVietnam();
  if (validFrom < body.establishedOn) throw badInput('Ngày bắt đầu trước ngày thành lập ban', 'BEFORE_ESTABLISHED', ['input', 'validFrom']);
  const m = newMember(body.id, input, validFrom);
  em.persist(m);
  return { result: m, events: [newEvent(BODY_MEMBER_ADDED, m.id, { ...memberData(m), unitId: body.unitId })] };
}

export async function endBodyMembership(
  em: EntityManager,
  input: z.infer<typeof endBodyMembershipInput>,
): Promise<{ result: BodyMember; events: CloudEvent[] }> {
  const m = await em.findOne(BodyMember, { id: input.memberId });
  if (!m) throw notFound('Không tìm thấy thành viên', 'MEMBER_NOT_FOUND', ['input', 'memberId']);
  if (m.validTo) throw badInput('Thành viên đã kết thúc nhiệm vụ', 'MEMBERSHIP_ENDED', ['input', 'memberId']);
  const validTo = input.validTo ? parseIsoDate(input.validTo) : todayInVietnam();
  if (validTo < m.validFrom) throw badInput('Ngày kết thúc trước ngày bắt đầu', 'END_BEFORE_START', ['input', 'validTo']);
  m.validTo = validTo;
  const body = await em.findOneOrFail(Body, { id: m.bodyId });
  return { result: m, events: [newEvent(BODY_MEMBER_ENDED, m.id, { ...memberData(m), unitId: body.unitId })] };
}
