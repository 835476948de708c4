import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, foldVietnamese, newEvent, notFound, todayInVietnam, type CloudEvent } from '@xhht/infra';
import { CODE, CODE_MESSAGE } from '../common/register-code';
import { hasVillages, requireLivingUnit } from '../common/units';
import { Person } from '../persons/person.entity';
import { personEventData, PERSON_MOVED } from '../persons/person.domain';
import { Household } from './household.entity';

export const HOUSEHOLD_REGISTERED = 'vn.xhht.org.household.registered.v1';
export const HOUSEHOLD_UPDATED = 'vn.xhht.org.household.updated.v1';
export const HOUSEHOLD_MOVED = 'vn.xhht.org.household.moved.v1';

const headName = z.string().trim().min(1, 'tên chủ hộ không được để trống').max(200, 'tên chủ hộ dài tối đa 200 ký tự');
const address = z.string().trim().max(500, 'địa chỉ dài tối đa 500 ký tự').nullish();

export const registerHouseholdInput = z.object({
  unitId: z.string().uuid('mã đơn vị không hợp lệ'),
  code: z.string().trim().regex(CODE, CODE_MESSAGE),
  headName,
  address,
});
export const updateHouseholdInput = z.object({
  id: z.string().uuid('mã hộ không hợp lệ'),
  code: z.string().trim().regex(CODE, CODE_MESSAGE).optional(),
  headName: headName.optional(),
  address,
});
export const moveHouseholdInput = z.object({
  id: z.string().uuid('mã hộ không hợp lệ'),
  unitId: z.string().uuid('mã đơn vị không hợp lệ'),
  code: z.string().trim().regex(CODE, CODE_MESSAGE).optional(),
});

// no names: the head's name is personal data and stays in org
/** A household event's payload: no names (the head's name is personal data and stays here). */
export const householdEventData = (h: Pick<Household, 'id' | 'unitId' | 'code'>) => ({ id: h.id, unitId: h.unitId, code: h.code });

/**
 * Households live in a village (thôn, tổ dân phố). A commune or ward that has no villages
 * registers its households directly, so a COMMUNE is accepted only while it has none: once
 * villages exist, a household in the commune itself would escape every village's figures.
 */
async function requireHouseholdUnit(em: EntityManager, unitId: string, today: string, field: string[]) {
  const unit = await requireLivingUnit(em, unitId, today, ['VILLAGE', 'COMMUNE'], field);
  if (unit.kind === 'COMMUNE' && (await hasVillages(em, unit.id, today))) {
    throw badInput(`${unit.name} có thôn, tổ dân phố: hộ gia đình phải đăng ký ở thôn, tổ dân phố`, 'HOUSEHOLD_NEEDS_VILLAGE', field);
  }
  return unit;
}

async function requireCodeFree(em: EntityManager, unitId: string, code: string, exceptId?: string) {
  const taken = await em.findOne(Household, { unitId, code });
  if (taken && taken.id !== exceptId) throw conflict(`Mã hộ ${code} đã được dùng trong đơn vị`, 'CODE_TAKEN', ['input', 'code']);
}

export async function registerHousehold(
  em: EntityManager,
  input: z.infer<typeof registerHouseholdInput>,
  actor: string,
): Promise<{ result: Household; events: CloudEvent[] }> {
  await requireHouseholdUnit(em, input.unitId, todayInVietnam(), ['input', 'unitId']);
  await requireCodeFree(em, input.unitId, input.code);
  const h = new Household();
  Object.assign(h, {
    id: randomUUID(),
    unitId: input.unitId,
    code: input.code,
    headName: input.headName,
    headNameFolded: foldVietnamese(input.headName),
    address: input.address ?? null,
    createdBy: actor,
    updatedBy: actor,
  });
  em.persist(h);
  return { result: h, events: [newEvent(HOUSEHOLD_REGISTERED, h.id, householdEventData(h))] };
}

export async function updateHousehold(
  em: EntityManager,
  input: z.infer<typeof updateHouseholdInput>,
  actor: string,
): Promise<{ result: Household; events: CloudEvent[] }> {
  const h = await em.findOne(Household, { id: input.id });
  if (!h) throw notFound('Không tìm thấy hộ gia đình', 'HOUSEHOLD_NOT_FOUND', ['input', 'id']);
  if (input.code !== undefined && input.code !== h.code) await requireCodeFree(em, h.unitId, input.code, h.id);
  if (input.code !== undefined) h.code = input.code;
  if (input.headName !== undefined) {
    h.headName = input.headName;
    h.headNameFolded = foldVietnamese(input.headName);
  }
  if (input.address !== undefined) h.address = input.address;
  h.updatedBy = actor;
  h.updatedAt = new Date();
  return { result: h, events: [newEvent(HOUSEHOLD_UPDATED, h.id, householdEventData(h))] };
}

/**
 * Moves a household to another unit. Its members registered in the old unit move with it
 * (each a person.moved event); members registered elsewhere stay where they are.
 */
export async function moveHousehold(
  em: EntityManager,
  input: z.infer<typeof moveHouseholdInput>,
  actor: string,
): Promise<{ result: Household; events: CloudEvent[] }> {
  const h = await em.findOne(Household, { id: input.id });
  if (!h) throw notFound('Không tìm thấy hộ gia đình', 'HOUSEHOLD_NOT_FOUND', ['input', 'id']);
  if (input.unitId === h.unitId) throw badInput('Hộ gia đình đã ở đơn vị này', 'SAME_UNIT', ['input', 'unitId']);
  await requireHouseholdUnit(em, input.unitId, todayInVietnam(), ['input', 'unitId']);
  const code = input.code ?? h.code;
  await requireCodeFree(em, input.unitId, code, h.id);
  const previousUnitId = h.unitId;
  const members = await em.find(Person, { householdId: h.id, unitId: previousUnitId });
  const taken = members.length ? await em.find(Person, { unitId: input.unitId, code: { $in: members.map((m) => m.code) } }) : [];
  if (taken.length > 0) {
    throw conflict(`Mã công dân ${taken[0]!.code} đã được dùng trong đơn vị mới`, 'MEMBER_CODE_TAKEN', ['input', 'unitId']);
  }
  h.unitId = input.unitId;
  h.code = code;
  h.updatedBy = actor;
  h.updatedAt = new Date();
  const events: CloudEvent[] = [newEvent(HOUSEHOLD_MOVED, h.id, { ...householdEventData(h), previousUnitId })];
  for (const m of members) {
    m.unitId = input.unitId;
    m.updatedBy = actor;
    m.updatedAt = new Date();
    events.push(newEvent(PERSON_MOVED, m.id, { ...personEventData(m), previousUnitId }));
  }
  return { result: h, events };
}
