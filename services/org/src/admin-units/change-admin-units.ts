import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ADMIN_UNIT_CHANGE_EVENTS,
  badInput,
  conflict,
  foldVietnamese,
  newEvent,
  notFound,
  parseIsoDate,
  type AdminUnitChangedData,
  type CloudEvent,
  parseInput,
  dayBefore,
  uuidArray,
} from '@xhht/infra';
import { AdminUnit, AdminUnitVersion } from './admin-unit.entity';
import { AdminUnitChange, AdminUnitChangeUnit, type AdminUnitChangeType, type ChangeRole } from './admin-unit-change.entity';
import {
  ADMIN_UNIT_KIND_NAMES,
  ADMIN_UNIT_SUBTYPES,
  ADMIN_UNIT_SUBTYPE_KEYS,
  kindDepth,
  subtypeFromName,
  type AdminUnitSubtype,
} from './admin-unit-kind';
import { ancestorIds, findViews, snapshots, type AdminUnitView } from './admin-unit.repository';

/**
 * Changes of the hierarchy (merge, split, rename, reclassify, move). Each runs in one transaction:
 * it locks the units it touches, validates everything before writing anything, closes and opens
 * versions at the effective date, records the change with its legal basis, and emits one event
 * carrying the resulting state of every unit it touched.
 */

const CODE = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z._-]{1,20}$/, 'mã gồm 1–20 chữ số, chữ cái, dấu chấm, gạch nối');
const NAME = z.string().trim().min(1, 'tên không được để trống').max(200, 'tên dài tối đa 200 ký tự');
const ID = z.string().uuid('mã đơn vị không hợp lệ');
const SUBTYPE = z.enum(ADMIN_UNIT_SUBTYPE_KEYS as [AdminUnitSubtype, ...AdminUnitSubtype[]]);
const basis = z.object({
  effectiveDate: z.string(),
  legalBasis: z.string().trim().min(3, 'cần căn cứ pháp lý (ví dụ: Nghị quyết 202/2025/QH15)').max(500),
  note: z.string().trim().max(2000).nullish(),
});

export const renameInput = z.object({ unitId: ID, name: NAME, basis });
export const reclassifyInput = z.object({ unitId: ID, subtype: SUBTYPE, name: NAME.nullish(), basis });
export const moveInput = z.object({ unitId: ID, newParentId: ID, basis });
export const mergeInput = z.object({
  unitIds: z.array(ID).min(1, 'cần ít nhất một đơn vị'),
  intoUnitId: ID.nullish(),
  newUnit: z.object({ code: CODE, name: NAME, subtype: SUBTYPE.nullish() }).nullish(),
  parentId: ID.nullish(),
  basis,
});
export const splitInput = z.object({
  unitId: ID,
  parts: z
    .array(z.object({ code: CODE, name: NAME, subtype: SUBTYPE.nullish(), childIds: z.array(ID).default([]) }))
    .min(2, 'chia cần ít nhất hai đơn vị mới'),
  basis,
});

export interface ChangeResult {
  change: AdminUnitChange;
  /** Units formed or changed, as of the effective date. */
  unitIds: string[];
  effectiveDate: string;
}

/** Work shared by every change: lock, record, and build the event from the units' resulting state. */
class ChangeWork {
  readonly change = new AdminUnitChange();
  private readonly links: AdminUnitChangeUnit[] = [];
  readonly touched = new Set<string>();
  readonly date: string;

  constructor(
    private readonly em: EntityManager,
    type: AdminUnitChangeType,
    b: z.infer<typeof basis>,
    actor: string,
  ) {
    this.date = parseIsoDate(b.effectiveDate);
    this.change.id = randomUUID();
    this.change.type = type;
    this.change.effectiveDate = this.date;
    this.change.legalBasis = b.legalBasis;
    this.change.note = b.note ?? null;
    this.change.createdBy = actor;
  }

  /** Locks the units (in id order, so two changes never deadlock) and returns them as of the effective date. */
  async lockAndRead(ids: string[], field: string[]): Promise<Map<string, AdminUnitView>> {
    const sorted = [...new Set(ids)].sort();
    await this.em.execute('select id from admin_unit where id = any(?::uuid[]) order by id for update', [uuidArray(sorted)]);
    const views = await findViews(this.em, sorted, this.date);
    for (const id of sorted) {
      const v = views.get(id);
      if (!v) throw notFound(`Không tìm thấy đơn vị ${id}`, 'UNIT_NOT_FOUND', field);
      if (v.validFrom >= this.date) {
        throw badInput(
          `Ngày hiệu lực ${this.date} phải sau ngày đơn vị ${v.name} bắt đầu tồn tại (${v.validFrom})`,
          'EFFECTIVE_BEFORE_UNIT_START',
          ['input', 'basis', 'effectiveDate'],
        );
      }
      if (v.validTo !== null && v.validTo < this.date) {
        throw badInput(`Đơn vị ${v.name} đã chấm dứt từ ${v.validTo}`, 'UNIT_ENDED', field);
      }
    }
    return views;
  }

  async checkLatestVersionBefore(unitId: string, name: string): Promise<void> {
    const later = await this.em.count(AdminUnitVersion, { unitId, validFrom: { $gt: this.date } });
    if (later > 0) {
      throw badInput(
        `Đơn vị ${name} đã có thay đổi sau ngày ${this.date}; thay đổi phải ghi theo thứ tự thời gian`,
        'CHANGE_BEFORE_LATER_CHANGE',
        ['input', 'basis', 'effectiveDate'],
      );
    }
  }

  /** From the effective date on, the unit's attributes are `patch`; the version before it ends the day before. */
  async setFrom(unitId: string, patch: Partial<Pick<AdminUnitVersion, 'name' | 'kind' | 'subtype' | 'parentId'>>): Promise<void> {
    const current = await this.em.findOneOrFail(AdminUnitVersion, {
      unitId,
      validFrom: { $lte: this.date },
      $or: [{ validTo: null }, { validTo: { $gte: this.date } }],
    });
    this.touched.add(unitId);
    if (current.validFrom === this.date) {
      Object.assign(current, patch);
      if (patch.name) current.nameFolded = foldVietnamese(patch.name);
      return;
    }
    const next = new AdminUnitVersion();
    next.unitId = unitId;
    next.validFrom = this.date;
    next.validTo = current.validTo ?? null;
    next.name = patch.name ?? current.name;
    next.nameFolded = foldVietnamese(next.name);
    next.kind = patch.kind ?? current.kind;
    next.subtype = patch.subtype ?? current.subtype;
    next.parentId = patch.parentId !== undefined ? patch.parentId : (current.parentId ?? null);
    current.validTo = dayBefore(this.date);
    // end the old period before the new one is inserted: the periods of one unit may never overlap
    await this.em.flush();
    this.em.persist(next);
  }

  /** The unit ends the day before the effective date. */
  async end(unitId: string): Promise<void> {
    const unit = await this.em.findOneOrFail(AdminUnit, { id: unitId });
    unit.validTo = dayBefore(this.date);
    const last = await this.em.findOneOrFail(AdminUnitVersion, { unitId }, { orderBy: { validFrom: 'desc' } });
    last.validTo = unit.validTo;
    this.touched.add(unitId);
  }

  /** A new unit from the effective date. */
  create(code: string, name: string, subtype: AdminUnitSubtype, parentId: string | null): string {
    const unit = new AdminUnit();
    unit.id = randomUUID();
    unit.code = code;
    unit.validFrom = this.date;
    unit.validTo = null;
    unit.createdBy = this.change.createdBy;
    const version = new AdminUnitVersion();
    Object.assign(version, {
      unitId: unit.id,
      validFrom: this.date,
      validTo: null,
      name,
      nameFolded: foldVietnamese(name),
      kind: ADMIN_UNIT_SUBTYPES[subtype].kind,
      subtype,
      parentId,
    });
    this.em.persist(unit);
    this.em.persist(version);
    this.touched.add(unit.id);
    return unit.id;
  }

  link(unitId: string, role: ChangeRole, partial = false): void {
    const l = new AdminUnitChangeUnit();
    Object.assign(l, { changeId: this.change.id, unitId, role, partial });
    this.links.push(l);
  }

  /** Children of the units on the effective date. */
  async childrenOf(ids: string[]): Promise<{ unitId: string; parentId: string }[]> {
    return this.em.execute(
      `select unit_id as "unitId", parent_id as "parentId" from admin_unit_version
       where parent_id = any(?::uuid[]) and valid_from <= ?::date and (valid_to is null or valid_to >= ?::date)`,
      [uuidArray(ids), this.date, this.date],
    );
  }

  /** One unit per code at any date: refuses a code another unit holds on or after the effective date. */
  async requireCodeFree(code: string, field: string[], endingIds: string[]): Promise<void> {
    const rows = await this.em.execute<{ id: string }[]>(
      `select id from admin_unit where code = ? and (valid_to is null or valid_to >= ?::date) and not (id = any(?::uuid[]))`,
      [code, this.date, uuidArray(endingIds)],
    );
    if (rows.length > 0) throw conflict(`Mã đơn vị ${code} đang được một đơn vị khác sử dụng vào ngày ${this.date}`, 'CODE_TAKEN', field);
  }

  async finish(resultIds: string[]): Promise<{ result: ChangeResult; events: CloudEvent<AdminUnitChangedData>[] }> {
    this.em.persist(this.change);
    for (const l of this.links) this.em.persist(l);
    await this.em.flush();
    const units = await snapshots(this.em, [...this.touched]);
    const event = newEvent<AdminUnitChangedData>(ADMIN_UNIT_CHANGE_EVENTS[this.change.type], this.change.id, {
      change: {
        id: this.change.id,
        type: this.change.type,
        effectiveDate: this.change.effectiveDate,
        legalBasis: this.change.legalBasis,
        note: this.change.note ?? null,
        units: this.links.map((l) => ({ unitId: l.unitId, role: l.role, partial: l.partial })),
      },
      units,
    });
    return { result: { change: this.change, unitIds: resultIds, effectiveDate: this.date }, events: [event] };
  }
}

function requireParentAbove(parent: AdminUnitView, kind: AdminUnitView['kind'], field: string[]): void {
  if (kindDepth(parent.kind) >= kindDepth(kind)) {
    throw badInput(
      `Đơn vị cấp ${ADMIN_UNIT_KIND_NAMES[kind]} không thể trực thuộc đơn vị cấp ${ADMIN_UNIT_KIND_NAMES[parent.kind]}`,
      'KIND_NOT_BELOW_PARENT',
      field,
    );
  }
}

function subtypeFor(
  kind: AdminUnitView['kind'],
  name: string,
  given: AdminUnitSubtype | null | undefined,
  fallback: AdminUnitSubtype,
  field: string[],
) {
  const subtype = given ?? subtypeFromName(name, kind) ?? fallback;
  if (ADMIN_UNIT_SUBTYPES[subtype].kind !== kind) {
    throw badInput(
      `Loại ${ADMIN_UNIT_SUBTYPES[subtype].name} không thuộc cấp ${ADMIN_UNIT_KIND_NAMES[kind]}`,
      'SUBTYPE_NOT_OF_KIND',
      field,
    );
  }
  return subtype;
}

export async function renameAdminUnit(em: EntityManager, raw: unknown, actor: string) {
  const input = parseInput(renameInput, raw);
  const work = new ChangeWork(em, 'RENAME', input.basis, actor);
  const unit = (await work.lockAndRead([input.unitId], ['input', 'unitId'])).get(input.unitId)!;
  if (unit.name === input.name) throw badInput('Tên mới trùng tên hiện tại', 'NAME_UNCHANGED', ['input', 'name']);
  await work.checkLatestVersionBefore(unit.id, unit.name);
  await work.setFrom(unit.id, { name: input.name });
  work.link(unit.id, 'SUBJECT');
  return work.finish([unit.id]);
}

export async function reclassifyAdminUnit(em: EntityManager, raw: unknown, actor: string) {
  const input = parseInput(reclassifyInput, raw);
  const work = new ChangeWork(em, 'RECLASSIFY', input.basis, actor);
  const unit = (await work.lockAndRead([input.unitId], ['input', 'unitId'])).get(input.unitId)!;
  if (ADMIN_UNIT_SUBTYPES[input.subtype].kind !== unit.kind) {
    throw badInput(
      `Loại ${ADMIN_UNIT_SUBTYPES[input.subtype].name} không thuộc cấp ${ADMIN_UNIT_KIND_NAMES[unit.kind]}`,
      'SUBTYPE_NOT_OF_KIND',
      ['input', 'subtype'],
    );
  }
  if (input.subtype === unit.subtype) throw badInput('Loại mới trùng loại hiện tại', 'SUBTYPE_UNCHANGED', ['input', 'subtype']);
  await work.checkLatestVersionBefore(unit.id, unit.name);
  await work.setFrom(unit.id, { subtype: input.subtype, ...(input.name ? { name: input.name } : {}) });
  work.link(unit.id, 'SUBJECT');
  return work.finish([unit.id]);
}

export async function moveAdminUnit(em: EntityManager, raw: unknown, actor: string) {
  const input = parseInput(moveInput, raw);
  const work = new ChangeWork(em, 'MOVE', input.basis, actor);
  const views = await work.lockAndRead([input.unitId, input.newParentId], ['input', 'newParentId']);
  const unit = views.get(input.unitId)!;
  const parent = views.get(input.newParentId)!;
  if (unit.id === parent.id || (await ancestorIds(em, parent.id, work.date)).includes(unit.id)) {
    throw badInput(`Không thể chuyển ${unit.name} vào đơn vị trực thuộc chính nó`, 'CYCLE', ['input', 'newParentId']);
  }
  requireParentAbove(parent, unit.kind, ['input', 'newParentId']);
  if (unit.parentId === parent.id)
    throw badInput(`${unit.name} đã trực thuộc ${parent.name}`, 'PARENT_UNCHANGED', ['input', 'newParentId']);
  await work.checkLatestVersionBefore(unit.id, unit.name);
  await work.setFrom(unit.id, { parentId: parent.id });
  work.link(unit.id, 'SUBJECT');
  return work.finish([unit.id]);
}

export async function mergeAdminUnits(em: EntityManager, raw: unknown, actor: string) {
  const input = parseInput(mergeInput, raw);
  if (!input.intoUnitId === !input.newUnit) {
    throw badInput('Cần chọn đúng một: nhập vào đơn vị có sẵn (intoUnitId) hoặc thành đơn vị mới (newUnit)', 'MERGE_TARGET_REQUIRED', [
      'input',
      'intoUnitId',
    ]);
  }
  const merged = [...new Set(input.unitIds)];
  if (merged.length !== input.unitIds.length) throw badInput('Một đơn vị được nêu hai lần', 'DUPLICATE_UNIT', ['input', 'unitIds']);
  if (input.intoUnitId && merged.includes(input.intoUnitId)) {
    throw badInput('Đơn vị nhận không thể đồng thời là đơn vị bị nhập', 'MERGE_INTO_ITSELF', ['input', 'intoUnitId']);
  }
  if (!input.intoUnitId && merged.length < 2)
    throw badInput('Hợp nhất thành đơn vị mới cần ít nhất hai đơn vị', 'MERGE_NEEDS_TWO', ['input', 'unitIds']);

  const work = new ChangeWork(em, 'MERGE', input.basis, actor);
  const lockIds = [...merged, ...(input.intoUnitId ? [input.intoUnitId] : []), ...(input.parentId ? [input.parentId] : [])];
  const views = await work.lockAndRead(lockIds, ['input', 'unitIds']);
  const units = merged.map((id) => views.get(id)!);
  const kind = units[0]!.kind;
  if (units.some((u) => u.kind !== kind)) throw badInput('Chỉ nhập các đơn vị cùng cấp', 'KINDS_DIFFER', ['input', 'unitIds']);
  for (const u of units) await work.checkLatestVersionBefore(u.id, u.name);

  let targetId: string;
  if (input.intoUnitId) {
    const into = views.get(input.intoUnitId)!;
    if (into.kind !== kind) throw badInput('Đơn vị nhận phải cùng cấp với các đơn vị bị nhập', 'KINDS_DIFFER', ['input', 'intoUnitId']);
    targetId = into.id;
  } else {
    const spec = input.newUnit!;
    const subtype = subtypeFor(kind, spec.name, spec.subtype, units[0]!.subtype, ['input', 'newUnit', 'subtype']);
    let parentId = input.parentId ?? null;
    if (!parentId) {
      const parents = new Set(units.map((u) => u.parentId));
      if (parents.size > 1)
        throw badInput('Các đơn vị thuộc các đơn vị cấp trên khác nhau: cần chọn đơn vị cấp trên', 'PARENT_REQUIRED', [
          'input',
          'parentId',
        ]);
      parentId = units[0]!.parentId;
    } else {
      requireParentAbove(views.get(parentId)!, kind, ['input', 'parentId']);
      if (merged.includes(parentId)) throw badInput('Đơn vị cấp trên không thể là đơn vị bị nhập', 'CYCLE', ['input', 'parentId']);
    }
    await work.requireCodeFree(spec.code, ['input', 'newUnit', 'code'], merged);
    targetId = work.create(spec.code, spec.name, subtype, parentId);
  }

  for (const child of await work.childrenOf(merged)) await work.setFrom(child.unitId, { parentId: targetId });
  for (const u of units) {
    await work.end(u.id);
    work.link(u.id, 'PREDECESSOR');
  }
  work.link(targetId, 'SUCCESSOR');
  work.touched.add(targetId);
  return work.finish([targetId]);
}

export async function splitAdminUnit(em: EntityManager, raw: unknown, actor: string) {
  const input = parseInput(splitInput, raw);
  const work = new ChangeWork(em, 'SPLIT', input.basis, actor);
  const unit = (await work.lockAndRead([input.unitId], ['input', 'unitId'])).get(input.unitId)!;
  await work.checkLatestVersionBefore(unit.id, unit.name);

  const codes = input.parts.map((p) => p.code);
  if (new Set(codes).size !== codes.length) throw badInput('Hai đơn vị mới trùng mã', 'DUPLICATE_CODE', ['input', 'parts']);
  const children = new Set((await work.childrenOf([unit.id])).map((c) => c.unitId));
  const assigned = new Map<string, number>();
  input.parts.forEach((p, i) =>
    p.childIds.forEach((c) => {
      if (!children.has(c))
        throw badInput(`Đơn vị ${c} không trực thuộc ${unit.name} vào ngày ${work.date}`, 'NOT_A_CHILD', [
          'input',
          'parts',
          String(i),
          'childIds',
        ]);
      if (assigned.has(c))
        throw badInput(`Đơn vị ${c} được giao cho hai đơn vị mới`, 'CHILD_ASSIGNED_TWICE', ['input', 'parts', String(i), 'childIds']);
      assigned.set(c, i);
    }),
  );
  const missing = [...children].filter((c) => !assigned.has(c));
  if (missing.length > 0) {
    throw badInput(
      `Còn ${missing.length} đơn vị trực thuộc chưa được giao cho đơn vị mới nào`,
      'CHILDREN_NOT_ASSIGNED',
      ['input', 'parts'],
      { unitIds: missing },
    );
  }
  if (unit.parentId) {
    await work.lockAndRead([unit.parentId], ['input', 'unitId']);
  }
  const partIds: string[] = [];
  for (const [i, part] of input.parts.entries()) {
    const subtype = subtypeFor(unit.kind, part.name, part.subtype, unit.subtype, ['input', 'parts', String(i), 'subtype']);
    await work.requireCodeFree(part.code, ['input', 'parts', String(i), 'code'], [unit.id]);
    partIds.push(work.create(part.code, part.name, subtype, unit.parentId));
  }
  for (const [childId, i] of assigned) await work.setFrom(childId, { parentId: partIds[i]! });
  await work.end(unit.id);
  work.link(unit.id, 'PREDECESSOR', true);
  for (const id of partIds) work.link(id, 'SUCCESSOR');
  return work.finish(partIds);
}
