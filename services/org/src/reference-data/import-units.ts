import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  ADMIN_UNIT_CHANGE_EVENTS,
  ADMIN_UNIT_CREATED,
  conflict,
  foldVietnamese,
  insertOutboxBatch,
  newEvent,
  rawQuery,
  uuidArray,
  type AdminUnitChangedData,
  type AdminUnitCreatedData,
  type CloudEvent,
  type EventCatalog,
} from '@xhht/infra';
import { snapshots } from '../admin-units/admin-unit.repository';
import type { PlannedUnit, ReferencePlan } from './clean';

export interface ReferenceImportResult {
  unitsWritten: number;
  changesWritten: number;
  events: number;
}

/**
 * A unit's or change's id is derived from its key (`code@validFrom`, `MERGE:commune:00004`…), so a
 * re-run finds what it wrote before: rows already there are skipped, and only rows written now get
 * events. Everything is written in one transaction with its events (sent at least once, with the
 * rows or not at all).
 */
export const referenceId = (key: string): string => {
  const h = createHash('sha1').update(`xhht:reference-hierarchy:${key}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // name-based (v5 layout)
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
};

const CHUNK = 5000;
const chunks = <T>(xs: T[]): T[][] => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

export async function importReferencePlan(
  em: EntityManager,
  catalog: EventCatalog,
  plan: ReferencePlan,
  actor: string,
): Promise<ReferenceImportResult> {
  const id = new Map(plan.units.map((u) => [u.key, referenceId(u.key)]));
  const idOf = (key: string | null) => (key === null ? null : id.get(key)!);

  return em.transactional(async (tx) => {
    await refuseForeignCodes(tx, plan.units, id);

    const writtenUnits = new Set<string>();
    for (const part of chunks(plan.units)) {
      const rows = await rawQuery<{ id: string }[]>(
        tx,
        `insert into admin_unit (id, code, valid_from, valid_to, created_by)
         select x.id, x.code, x.valid_from, x.valid_to, ? from jsonb_to_recordset(?::jsonb) as x(id uuid, code text, valid_from date, valid_to date)
         on conflict (id) do nothing returning id`,
        [actor, JSON.stringify(part.map((u) => ({ id: idOf(u.key), code: u.code, valid_from: u.validFrom, valid_to: u.validTo })))],
      );
      for (const r of rows) writtenUnits.add(r.id);
    }
    const newUnits = plan.units.filter((u) => writtenUnits.has(idOf(u.key)!));
    const versions = newUnits.flatMap((u) =>
      u.versions.map((v) => ({
        unit_id: idOf(u.key),
        valid_from: v.validFrom,
        valid_to: v.validTo,
        name: v.name,
        name_folded: foldVietnamese(v.name),
        kind: v.kind,
        subtype: v.subtype,
        parent_id: idOf(v.parent),
      })),
    );
    for (const part of chunks(versions)) {
      await rawQuery(
        tx,
        `insert into admin_unit_version (unit_id, valid_from, valid_to, name, name_folded, kind, subtype, parent_id)
         select * from jsonb_to_recordset(?::jsonb)
           as x(unit_id uuid, valid_from date, valid_to date, name text, name_folded text, kind text, subtype text, parent_id uuid)`,
        [JSON.stringify(part)],
      );
    }

    const writtenChanges = new Set<string>();
    for (const part of chunks(plan.changes)) {
      const rows = await rawQuery<{ id: string }[]>(
        tx,
        `insert into admin_unit_change (id, type, effective_date, legal_basis, note, created_by)
         select x.id, x.type, x.effective_date, x.legal_basis, x.note, ?
         from jsonb_to_recordset(?::jsonb) as x(id uuid, type text, effective_date date, legal_basis text, note text)
         on conflict (id) do nothing returning id`,
        [
          actor,
          JSON.stringify(
            part.map((c) => ({
              id: referenceId(c.key),
              type: c.type,
              effective_date: c.effectiveDate,
              legal_basis: c.legalBasis,
              note: c.note,
            })),
          ),
        ],
      );
      for (const r of rows) writtenChanges.add(r.id);
    }
    const newChanges = plan.changes.filter((c) => writtenChanges.has(referenceId(c.key)));
    const links = newChanges.flatMap((c) =>
      c.links.map((l) => ({ change_id: referenceId(c.key), unit_id: idOf(l.unit), role: l.role, partial: l.partial })),
    );
    for (const part of chunks(links)) {
      await rawQuery(
        tx,
        `insert into admin_unit_change_unit (change_id, unit_id, role, partial)
         select * from jsonb_to_recordset(?::jsonb) as x(change_id uuid, unit_id uuid, role text, partial boolean)`,
        [JSON.stringify(part)],
      );
    }

    // created events first, change events a moment later: a consumer keeps the newer state of a unit
    const createdAt = new Date();
    const changedAt = new Date(createdAt.getTime() + 1);
    const events: CloudEvent[] = newUnits
      .filter((u) => !u.formedBy)
      .map((u) => {
        const first = u.versions[0]!;
        return newEvent<AdminUnitCreatedData>(
          ADMIN_UNIT_CREATED,
          idOf(u.key)!,
          {
            id: idOf(u.key)!,
            code: u.code,
            name: first.name,
            kind: first.kind,
            subtype: first.subtype,
            parentId: idOf(first.parent),
            validFrom: u.validFrom,
            validTo: null,
          },
          createdAt,
        );
      });
    const touched = [...new Set(newChanges.flatMap((c) => c.links.map((l) => idOf(l.unit)!)))];
    const state = new Map((await snapshots(tx, touched)).map((s) => [s.id, s]));
    for (const c of newChanges) {
      const changeId = referenceId(c.key);
      events.push(
        newEvent<AdminUnitChangedData>(
          ADMIN_UNIT_CHANGE_EVENTS[c.type],
          changeId,
          {
            change: {
              id: changeId,
              type: c.type,
              effectiveDate: c.effectiveDate,
              legalBasis: c.legalBasis,
              note: c.note,
              units: c.links.map((l) => ({ unitId: idOf(l.unit)!, role: l.role, partial: l.partial })),
            },
            units: c.links.map((l) => state.get(idOf(l.unit)!)!),
          },
          changedAt,
        ),
      );
    }
    for (const part of chunks(events)) await insertOutboxBatch(catalog, (sql, params) => rawQuery(tx, sql, params), part);
    return { unitsWritten: newUnits.length, changesWritten: newChanges.length, events: events.length };
  });
}

/** A code the plan uses, held in an overlapping period by a unit this import did not write: refuse, write nothing. */
async function refuseForeignCodes(em: EntityManager, units: PlannedUnit[], id: Map<string, string>): Promise<void> {
  const rows = await rawQuery<{ code: string; valid_from: string; valid_to: string | null }[]>(
    em,
    `select u.code, u.valid_from::text, u.valid_to::text
     from admin_unit u
     join jsonb_to_recordset(?::jsonb) as x(code text, valid_from date, valid_to date)
       on x.code = u.code and daterange(x.valid_from, x.valid_to, '[]') && daterange(u.valid_from, u.valid_to, '[]')
     where not (u.id = any(?::uuid[]))`,
    [JSON.stringify(units.map((u) => ({ code: u.code, valid_from: u.validFrom, valid_to: u.validTo }))), uuidArray([...id.values()])],
  );
  if (rows.length === 0) return;
  const list = rows
    .slice(0, 10)
    .map((r) => `${r.code} (${r.valid_from}–${r.valid_to ?? 'nay'})`)
    .join(', ');
  throw conflict(
    `Danh mục đơn vị hành chính chưa được nạp: ${rows.length} mã đã do đơn vị khác dùng trong cùng thời gian, ví dụ ${list}. ` +
      'Không ghi gì; hãy xử lý các đơn vị này (hoặc dùng cơ sở dữ liệu mới) rồi chạy lại.',
    'REFERENCE_CODE_TAKEN',
  );
}
