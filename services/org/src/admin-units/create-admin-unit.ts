import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  badInput,
  conflict,
  inputError,
  newEvent,
  parseIsoDate,
  todayInVietnam,
  type CloudEvent,
  type AdminUnitCreatedData,
  ADMIN_UNIT_CREATED,
} from '@xhht/infra';
import { AdminUnit } from './admin-unit.entity';
import { ADMIN_UNIT_KINDS, ADMIN_UNIT_KIND_NAMES, kindDepth } from './admin-unit-kind';

export const createAdminUnitInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z._-]{1,20}$/, 'mã gồm 1–20 chữ số, chữ cái, dấu chấm, gạch nối'),
  name: z.string().trim().min(1, 'tên không được để trống').max(200, 'tên dài tối đa 200 ký tự'),
  kind: z.enum(ADMIN_UNIT_KINDS),
  parentId: z.string().uuid('mã đơn vị cấp trên không hợp lệ').nullish(),
  validFrom: z.string().nullish(),
});
export type CreateAdminUnitInput = z.infer<typeof createAdminUnitInput>;

/**
 * Creates a unit below an existing parent. Refused, with nothing written, when the parent is
 * unknown or not valid at the start date, the kind is not below the parent's, or the code is taken.
 */
export async function createAdminUnit(
  em: EntityManager,
  raw: unknown,
  actor: string,
): Promise<{ result: AdminUnit; events: CloudEvent<AdminUnitCreatedData>[] }> {
  const parsed = createAdminUnitInput.safeParse(raw);
  if (!parsed.success) throw inputError(parsed.error.issues);
  const input = parsed.data;
  const validFrom = input.validFrom ? parseIsoDate(input.validFrom) : todayInVietnam();

  let parent: AdminUnit | null = null;
  if (input.kind === 'NATION') {
    if (input.parentId) throw badInput('Quốc gia không có đơn vị cấp trên', 'NATION_HAS_NO_PARENT', ['input', 'parentId']);
  } else {
    if (!input.parentId) {
      throw badInput(`Đơn vị cấp ${ADMIN_UNIT_KIND_NAMES[input.kind]} cần đơn vị cấp trên`, 'PARENT_REQUIRED', ['input', 'parentId']);
    }
    parent = await em.findOne(AdminUnit, { id: input.parentId });
    if (!parent) throw badInput('Không tìm thấy đơn vị cấp trên', 'PARENT_NOT_FOUND', ['input', 'parentId']);
    if (kindDepth(parent.kind) >= kindDepth(input.kind)) {
      throw badInput(
        `Đơn vị cấp ${ADMIN_UNIT_KIND_NAMES[input.kind]} không thể trực thuộc đơn vị cấp ${ADMIN_UNIT_KIND_NAMES[parent.kind]}`,
        'KIND_NOT_BELOW_PARENT',
        ['input', 'kind'],
      );
    }
    if (validFrom < parent.validFrom || (parent.validTo && validFrom > parent.validTo)) {
      throw badInput('Ngày hiệu lực nằm ngoài thời gian hiệu lực của đơn vị cấp trên', 'OUTSIDE_PARENT_VALIDITY', ['input', 'validFrom']);
    }
  }
  const taken = await em.count(AdminUnit, { code: input.code, validTo: null });
  if (taken > 0) throw conflict(`Mã đơn vị ${input.code} đã được sử dụng`, 'CODE_TAKEN', ['input', 'code']);

  const unit = new AdminUnit();
  unit.id = randomUUID();
  unit.code = input.code;
  unit.name = input.name;
  unit.kind = input.kind;
  unit.parentId = parent?.id ?? null;
  unit.validFrom = validFrom;
  unit.validTo = null;
  unit.createdBy = actor;
  em.persist(unit);

  const event = newEvent<AdminUnitCreatedData>(ADMIN_UNIT_CREATED, unit.id, {
    id: unit.id,
    code: unit.code,
    name: unit.name,
    kind: unit.kind,
    parentId: unit.parentId ?? null,
    validFrom: unit.validFrom,
    validTo: null,
  });
  return { result: unit, events: [event] };
}
