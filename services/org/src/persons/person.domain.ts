import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, foldVietnamese, newEvent, notFound, todayInVietnam, type CloudEvent } from '@xhht/infra';
import { CODE, CODE_MESSAGE } from '../common/register-code';
import { requireLivingUnit } from '../common/units';
import { Household } from '../households/household.entity';
import { Organization } from '../organizations/organization.entity';
import { OCCUPATIONAL_GROUPS, Person, SEXES } from './person.entity';

export const PERSON_REGISTERED = 'vn.xhht.org.person.registered.v1';
export const PERSON_UPDATED = 'vn.xhht.org.person.updated.v1';
export const PERSON_MOVED = 'vn.xhht.org.person.moved.v1';

const currentYear = () => Number(todayInVietnam().slice(0, 4));
const fullName = z.string().trim().min(1, 'họ tên không được để trống').max(200, 'họ tên dài tối đa 200 ký tự');
// nobody alive was born before 1900; nobody is registered before being born
const birthYear = z
  .number()
  .int('năm sinh phải là số nguyên')
  .min(1900, 'năm sinh không trước 1900')
  .refine((y) => y <= currentYear(), 'năm sinh không thể ở tương lai');

export const registerPersonInput = z.object({
  unitId: z.string().uuid('mã đơn vị không hợp lệ'),
  code: z.string().trim().regex(CODE, CODE_MESSAGE),
  fullName,
  birthYear,
  sex: z.enum(SEXES),
  occupationalGroup: z.enum(OCCUPATIONAL_GROUPS),
  householdId: z.string().uuid('mã hộ không hợp lệ').nullish(),
  workplaceId: z.string().uuid('mã nơi làm việc không hợp lệ').nullish(),
});
export const updatePersonInput = z.object({
  id: z.string().uuid('mã công dân không hợp lệ'),
  code: z.string().trim().regex(CODE, CODE_MESSAGE).optional(),
  fullName: fullName.optional(),
  birthYear: birthYear.optional(),
  sex: z.enum(SEXES).optional(),
  occupationalGroup: z.enum(OCCUPATIONAL_GROUPS).optional(),
  householdId: z.string().uuid('mã hộ không hợp lệ').nullish(),
  workplaceId: z.string().uuid('mã nơi làm việc không hợp lệ').nullish(),
});

// no name or other identifying detail: only what Learning Citizen rates are computed from
export const personEventData = (
  p: Pick<Person, 'id' | 'unitId' | 'code' | 'birthYear' | 'sex' | 'occupationalGroup' | 'householdId' | 'workplaceId'>,
) => ({
  id: p.id,
  unitId: p.unitId,
  code: p.code,
  birthYear: p.birthYear,
  sex: p.sex,
  occupationalGroup: p.occupationalGroup,
  householdId: p.householdId ?? null,
  workplaceId: p.workplaceId ?? null,
});

async function requireCodeFree(em: EntityManager, unitId: string, code: string, exceptId?: string) {
  const taken = await em.findOne(Person, { unitId, code });
  if (taken && taken.id !== exceptId) throw conflict(`Mã công dân ${code} đã được dùng trong đơn vị`, 'CODE_TAKEN', ['input', 'code']);
}

async function requireReferences(em: EntityManager, householdId?: string | null, workplaceId?: string | null) {
  if (householdId && !(await em.findOne(Household, { id: householdId }))) {
    throw badInput('Không tìm thấy hộ gia đình', 'HOUSEHOLD_NOT_FOUND', ['input', 'householdId']);
  }
  if (workplaceId && !(await em.findOne(Organization, { id: workplaceId }))) {
    throw badInput('Không tìm thấy nơi làm việc', 'WORKPLACE_NOT_FOUND', ['input', 'workplaceId']);
  }
}

export async function registerPerson(
  em: EntityManager,
  input: z.infer<typeof registerPersonInput>,
  actor: string,
): Promise<{ result: Person; events: CloudEvent[] }> {
  await requireLivingUnit(em, input.unitId, todayInVietnam(), ['VILLAGE', 'COMMUNE'], ['input', 'unitId']);
  await requireCodeFree(em, input.unitId, input.code);
  await requireReferences(em, input.householdId, input.workplaceId);
  const p = new Person();
  Object.assign(p, {
    id: randomUUID(),
    unitId: input.unitId,
    code: input.code,
    fullName: input.fullName,
    nameFolded: foldVietnamese(input.fullName),
    birthYear: input.birthYear,
    sex: input.sex,
    occupationalGroup: input.occupationalGroup,
    householdId: input.householdId ?? null,
    workplaceId: input.workplaceId ?? null,
    createdBy: actor,
    updatedBy: actor,
  });
  em.persist(p);
  return { result: p, events: [newEvent(PERSON_REGISTERED, p.id, personEventData(p))] };
}

export async function updatePerson(
  em: EntityManager,
  input: z.infer<typeof updatePersonInput>,
  actor: string,
): Promise<{ result: Person; events: CloudEvent[] }> {
  const p = await em.findOne(Person, { id: input.id });
  if (!p) throw notFound('Không tìm thấy công dân', 'PERSON_NOT_FOUND', ['input', 'id']);
  if (input.code !== undefined && input.code !== p.code) await requireCodeFree(em, p.unitId, input.code, p.id);
  await requireReferences(em, input.householdId, input.workplaceId);
  if (input.code !== undefined) p.code = input.code;
  if (input.fullName !== undefined) {
    p.fullName = input.fullName;
    p.nameFolded = foldVietnamese(input.fullName);
  }
  if (input.birthYear !== undefined) p.birthYear = input.birthYear;
  if (input.sex !== undefined) p.sex = input.sex;
  if (input.occupationalGroup !== undefined) p.occupationalGroup = input.occupationalGroup;
  if (input.householdId !== undefined) p.householdId = input.householdId;
  if (input.workplaceId !== undefined) p.workplaceId = input.workplaceId;
  p.updatedBy = actor;
  p.updatedAt = new Date();
  return { result: p, events: [newEvent(PERSON_UPDATED, p.id, personEventData(p))] };
}
