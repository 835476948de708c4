import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '@xhht/infra';
import type { AdminUnitKind } from '../admin-units/admin-unit-kind';
import { ADMIN_UNIT_KIND_NAMES } from '../admin-units/admin-unit-kind';
import { findViews, type AdminUnitView } from '../admin-units/admin-unit.repository';

/** The unit as of `today`, refused unless it exists and is valid that day and is of one of `kinds`. */
export async function requireLivingUnit(
  em: EntityManager,
  unitId: string,
  today: string,
  kinds: readonly AdminUnitKind[] | null,
  field: string[],
): Promise<AdminUnitView> {
  const unit = (await findViews(em, [unitId], today)).get(unitId);
  if (!unit) throw badInput('Không tìm thấy đơn vị hành chính', 'UNIT_NOT_FOUND', field);
  if (unit.validFrom > today || (unit.validTo && unit.validTo < today)) {
    throw badInput(`Đơn vị ${unit.name} không còn hiệu lực`, 'UNIT_NOT_VALID', field);
  }
  if (kinds && !kinds.includes(unit.kind)) {
    throw badInput(
      `Đơn vị ${unit.name} là cấp ${ADMIN_UNIT_KIND_NAMES[unit.kind]}; cần cấp ${kinds.map((k) => ADMIN_UNIT_KIND_NAMES[k]).join(' hoặc ')}`,
      'UNIT_WRONG_KIND',
      field,
    );
  }
  return unit;
}

/** True when the unit has villages below it today. */
export async function hasVillages(em: EntityManager, unitId: string, today: string): Promise<boolean> {
  const rows = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from admin_unit_version v join admin_unit u on u.id = v.unit_id
     where v.parent_id = ?::uuid and v.kind = 'VILLAGE' and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)
       and u.valid_from <= ?::date and (u.valid_to is null or u.valid_to >= ?::date)`,
    [unitId, today, today, today, today],
  );
  return (rows[0]?.n ?? 0) > 0;
}
