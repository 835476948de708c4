import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, foldVietnamese, newEvent, notFound, todayInVietnam, type CloudEvent, parseInput } from '@xhht/infra';
import { CODE, CODE_MESSAGE } from '../common/register-code';
import { requireLivingUnit } from '../common/units';
import { Organization, ORGANIZATION_TYPES } from './organization.entity';

export const ORGANIZATION_REGISTERED = 'vn.xhht.org.organization.registered.v1';
export const ORGANIZATION_UPDATED = 'vn.xhht.org.organization.updated.v1';

const name = z.string().trim().min(1, 'tên không được để trống').max(300, 'tên dài tối đa 300 ký tự');

export const registerOrganizationInput = z.object({
  unitId: z.string().uuid('mã đơn vị không hợp lệ'),
  code: z.string().trim().regex(CODE, CODE_MESSAGE),
  name,
  type: z.enum(ORGANIZATION_TYPES),
  parentId: z.string().uuid('mã tổ chức cấp trên không hợp lệ').nullish(),
});

export const updateOrganizationInput = z.object({
  id: z.string().uuid('mã tổ chức không hợp lệ'),
  code: z.string().trim().regex(CODE, CODE_MESSAGE).optional(),
  name: name.optional(),
  type: z.enum(ORGANIZATION_TYPES).optional(),
  parentId: z.string().uuid('mã tổ chức cấp trên không hợp lệ').nullish(),
});

export const organizationEventData = (
  o: Pick<Organization, 'id' | 'unitId' | 'code' | 'name' | 'type' | 'parentId' | 'validFrom' | 'validTo'>,
) => ({
  id: o.id,
  unitId: o.unitId,
  code: o.code,
  name: o.name,
  type: o.type,
  parentId: o.parentId ?? null,
  validFrom: o.validFrom,
  validTo: o.validTo ?? null,
});

async function requireCodeFree(em: EntityManager, unitId: string, code: string, exceptId?: string) {
  const taken = await em.findOne(Organization, { unitId, code });
  if (taken && taken.id !== exceptId)
    throw conflict(`Mã ${code} đã được dùng cho một tổ chức khác trong đơn vị`, 'CODE_TAKEN', ['input', 'code']);
}

/** The parent exists and is not the organization itself or one of its descendants. */
async function requireParent(em: EntityManager, parentId: string, selfId: string) {
  const parent = await em.findOne(Organization, { id: parentId });
  if (!parent) throw badInput('Không tìm thấy tổ chức cấp trên', 'PARENT_NOT_FOUND', ['input', 'parentId']);
  const chain = await em.execute<{ id: string }[]>(
    `with recursive up(id, parent_id, depth) as (
       select id, parent_id, 0 from organization where id = ?::uuid
       union all
       select o.id, o.parent_id, up.depth + 1 from organization o join up on o.id = up.parent_id where up.depth < 50
     ) select id from up`,
    [parentId],
  );
  if (chain.some((r) => r.id === selfId)) {
    throw badInput('Tổ chức không thể trực thuộc chính nó hoặc tổ chức cấp dưới của nó', 'PARENT_CYCLE', ['input', 'parentId']);
  }
}

export async function registerOrganization(
  em: EntityManager,
  raw: unknown,
  actor: string,
): Promise<{ result: Organization; events: CloudEvent[] }> {
  const input = parseInput(registerOrganizationInput, raw);
  const today = todayInVietnam();
  await requireLivingUnit(em, input.unitId, today, null, ['input', 'unitId']);
  await requireCodeFree(em, input.unitId, input.code);
  const o = new Organization();
  o.id = randomUUID();
  if (input.parentId) await requireParent(em, input.parentId, o.id);
  Object.assign(o, {
    unitId: input.unitId,
    code: input.code,
    name: input.name,
    nameFolded: foldVietnamese(input.name),
    type: input.type,
    parentId: input.parentId ?? null,
    validFrom: today,
    validTo: null,
    createdBy: actor,
    updatedBy: actor,
  });
  em.persist(o);
  return { result: o, events: [newEvent(ORGANIZATION_REGISTERED, o.id, organizationEventData(o))] };
}

export const parseUpdateOrganization = (raw: unknown) => parseInput(updateOrganizationInput, raw);

export async function updateOrganization(
  em: EntityManager,
  input: z.infer<typeof updateOrganizationInput>,
  actor: string,
): Promise<{ result: Organization; events: CloudEvent[] }> {
  const o = await em.findOne(Organization, { id: input.id });
  if (!o) throw notFound('Không tìm thấy tổ chức', 'ORGANIZATION_NOT_FOUND', ['input', 'id']);
  if (input.code !== undefined && input.code !== o.code) await requireCodeFree(em, o.unitId, input.code, o.id);
  if (input.parentId) await requireParent(em, input.parentId, o.id);
  if (input.code !== undefined) o.code = input.code;
  if (input.name !== undefined) {
    o.name = input.name;
    o.nameFolded = foldVietnamese(input.name);
  }
  if (input.type !== undefined) o.type = input.type;
  if (input.parentId !== undefined) o.parentId = input.parentId;
  o.updatedBy = actor;
  o.updatedAt = new Date();
  return { result: o, events: [newEvent(ORGANIZATION_UPDATED, o.id, organizationEventData(o))] };
}
