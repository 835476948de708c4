import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, foldVietnamese, inputError } from '@xhht/infra';
import { ADMIN_UNIT_KINDS } from './admin-unit-kind';
import { toView, type AdminUnitView } from './admin-unit.repository';

const listArgs = z.object({
  parentId: z.string().uuid('mã đơn vị cấp trên không hợp lệ').nullish(),
  kind: z.enum(ADMIN_UNIT_KINDS).nullish(),
  search: z.string().max(200).nullish(),
  first: z.number().int().min(0).max(500, 'tối đa 500 đơn vị mỗi trang').default(50),
  after: z.string().nullish(),
});

export const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function decodeCursor(cursor: string): number {
  const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw badInput('Con trỏ phân trang không hợp lệ', 'INVALID_CURSOR', ['after']);
  return Number(m[1]) + 1;
}

/** Units in force on `asOf`, filtered, in Vietnamese order (ICU collation), one page at a time. */
export async function listAdminUnits(em: EntityManager, raw: unknown, asOf: string) {
  const parsed = listArgs.safeParse(raw);
  if (!parsed.success) throw inputError(parsed.error.issues, 'args');
  const a = parsed.data;
  const offset = a.after ? decodeCursor(a.after) : 0;
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
    [...params, a.first, offset],
  );
  const nodes: AdminUnitView[] = rows.map((r) => toView(r as Parameters<typeof toView>[0], asOf));
  return {
    totalCount: Number(total),
    edges: nodes.map((node, i) => ({ cursor: encodeCursor(offset + i), node })),
    pageInfo: {
      hasNextPage: offset + nodes.length < Number(total),
      endCursor: nodes.length ? encodeCursor(offset + nodes.length - 1) : null,
    },
  };
}
