import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { connection, foldVietnamese, pageWindow, parseInput } from '@xhht/infra';
import { ADMIN_UNIT_KINDS } from './admin-unit-kind';
import { toView, type AdminUnitView } from './admin-unit.repository';

const listArgs = z.object({
  parentId: z.string().uuid('mã đơn vị cấp trên không hợp lệ').nullish(),
  kind: z.enum(ADMIN_UNIT_KINDS).nullish(),
  search: z.string().max(200).nullish(),
  first: z.number().int().nullish(),
  after: z.string().nullish(),
});

/** Units in force on `asOf`, filtered, in Vietnamese order (ICU collation), one page at a time. */
export async function listAdminUnits(em: EntityManager, raw: unknown, asOf: string) {
  const a = parseInput(listArgs, raw, 'args');
  const { limit, offset } = pageWindow(a);
  const where = ['v.valid_from <= ?::date', '(v.valid_to is null or v.valid_to >= ?::date)'];
  const params: unknown[] = [asOf, asOf];
  if (a.parentId) {
    where.push('v.parent_id = ?');
    params.push(a.parentId);
  }
  if (a.kind) {
    where.push('v.kind = ?');
    params.push(a.kind);
  }
  const term = a.search ? foldVietnamese(a.search) : '';
  if (term) {
    where.push(`(v.name_folded like ? escape '\\' or u.code = ?)`);
    params.push(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, a.search!.trim());
  }
  const from = `from admin_unit u join admin_unit_version v on v.unit_id = u.id where ${where.join(' and ')}`;
  const [count] = await em.execute<{ total: string }[]>(`select count(*) as total ${from}`, params);
  const total = count?.total ?? '0';
  const rows = await em.execute(
    `select u.id, u.code, u.valid_from::text, u.valid_to::text, v.name, v.kind, v.subtype, v.parent_id
     ${from} order by v.name collate "vi-x-icu", u.code limit ? offset ?`,
    [...params, limit, offset],
  );
  const nodes: AdminUnitView[] = rows.map((r) => toView(r as Parameters<typeof toView>[0], asOf));
  return connection(nodes, Number(total), offset);
}
