import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  badInput,
  conflict,
  newEvent,
  parseIsoDate,
  todayInVietnam,
  type CloudEvent,
  type AdminUnitCreatedData,
  ADMIN_UNIT_CREATED,
  foldVietnamese,
  parseInput,
} from '@xhht/infra';
import { AdminUnit, AdminUnitVersion } from './admin-unit.entity';
import {
  ADMIN_UNIT_KINDS,
  ADMIN_UNIT_KIND_NAMES,
  ADMIN_UNIT_SUBTYPES,
  ADMIN_UNIT_SUBTYPE_KEYS,
  DEFAULT_SUBTYPE,
  kindDepth,
  subtypeFromName,
} from './admin-unit-kind';
import { findViews, type AdminUnitView } from './admin-unit.repository';

export const createAdminUnitInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z._-]{1,20}$/, 'mã gồm 1–20 chữ số, chữ cái, dấu chấm, gạch nối'),
  name: z.string().trim().min(1, 'tên không được để trống').max(200, 'tên dài tối đa 200 ký tự'),
  kind: z.enum(ADMIN_UNIT_KINDS),
  subtype: z.enum(ADMIN_UNIT_SUBTYPE_KEYS as [string, ...string[]]).nullish(),
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
): Promise<{ result: AdminUnitView; events: CloudEvent<AdminUnitCreatedData>[] }> {
  const input = parseInput(createAdminUnitInput, raw);
  const validFrom = input.validFrom ? parseIsoDate(input.validFrom) : todayInVietnam();

  const subtype = (input.subtype ??
    subtypeFromName(input.name, input.kind) ??
    DEFAULT_SUBTYPE[input.kind]) as keyof typeof ADMIN_UNIT_SUBTYPES;
  if (ADMIN_UNIT_SUBTYPES[subtype].kind !== input.kind) {
    throw badInput(
      `Loại ${ADMIN_UNIT_SUBTYPES[subtype].name} không thuộc cấp ${ADMIN_UNIT_KIND_NAMES[input.kind]}`,
      'SUBTYPE_NOT_OF_KIND',
      ['input', 'subtype'],
    );
  }
  let parent: AdminUnitView | null = null;
  if (input.kind === 'NATION') {
    if (input.parentId) throw badInput('Quốc gia không có đơn vị cấp trên', 'NATION_HAS_NO_PARENT', ['input', 'parentId']);
  } else {
    if (!input.parentId) {
      throw badInput(`Đơn vị cấp ${ADMIN_UNIT_KIND_NAMES[input.kind]} cần đơn vị cấp trên`, 'PARENT_REQUIRED', ['input', 'parentId']);
    }
    parent = (await findViews(em, [input.parentId], validFrom)).get(input.parentId) ?? null;
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
  // one unit per code at any date: the new unit's open-ended period may not meet another's
  const taken = await em.count(AdminUnit, { code: input.code, $or: [{ validTo: null }, { validTo: { $gte: validFrom } }] });
  if (taken > 0) throw conflict(`Mã đơn vị ${input.code} đã được sử dụng`, 'CODE_TAKEN', ['input', 'code']);

  const unit = new AdminUnit();
  unit.id = randomUUID();
  unit.code = input.code;
  unit.validFrom = validFrom;
  unit.validTo = null;
  unit.createdBy = actor;
  const version = new AdminUnitVersion();
  version.unitId = unit.id;
  version.validFrom = validFrom;
  version.validTo = null;
  version.name = input.name;
  version.nameFolded = foldVietnamese(input.name);
  version.kind = input.kind;
  version.subtype = subtype;
  version.parentId = parent?.id ?? null;
  em.persist(unit);
  em.persist(version);

  const event = newEvent<AdminUnitCreatedData>(ADMIN_UNIT_CREATED, unit.id, {
    id: unit.id,
    code: unit.code,
    name: version.name,
    kind: version.kind,
    subtype,
    parentId: version.parentId ?? null,
    validFrom: unit.validFrom,
    validTo: null,
  });
  const view: AdminUnitView = {
    ...unit,
    validTo: null,
    name: version.name,
    kind: version.kind,
    subtype,
    parentId: version.parentId ?? null,
    asOf: validFrom,
  };
  return { result: view, events: [event] };
}
