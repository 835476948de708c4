import { randomUUID } from 'node:crypto';
import {
  ADMIN_UNIT_CHANGE_EVENTS,
  ADMIN_UNIT_CREATED,
  newEvent,
  type AdminUnitChangedData,
  type AdminUnitVersionData,
  type CloudEvent,
} from '@xhht/infra';

const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
const code = (id: string) => `S${id.slice(0, 8)}`;

/**
 * Org's events for the reform's typical case, as a replica receives them: a province with communes
 * A and B (from 2020) and a village of A; on 2025-07-01 A and B merge into a new commune C
 * (Nghị quyết 202/2025/QH15) and the village moves under C.
 */
export function communeMergeEvents(ids: { province: string; a: string; b: string; c: string; village: string }): CloudEvent[] {
  const { province, a, b, c, village } = ids;
  const name = (kind: string) => (kind === 'VILLAGE' ? 'Thôn 1' : `Đơn vị ${kind}`);
  const created = (id: string, kind: string, parentId: string | null) =>
    newEvent(
      ADMIN_UNIT_CREATED,
      id,
      { id, code: code(id), name: name(kind), kind, subtype: kind, parentId, validFrom: '2020-01-01', validTo: null },
      at('2025-01-01'),
    );
  const version = (kind: string, parentId: string, validFrom: string, validTo: string | null): AdminUnitVersionData => ({
    name: name(kind),
    kind,
    subtype: kind,
    parentId,
    validFrom,
    validTo,
  });
  const snapshot = (id: string, validFrom: string, validTo: string | null, versions: AdminUnitVersionData[]) => ({
    id,
    code: code(id),
    validFrom,
    validTo,
    versions,
  });
  const changeId = randomUUID();
  const merge = newEvent<AdminUnitChangedData>(
    ADMIN_UNIT_CHANGE_EVENTS.MERGE,
    changeId,
    {
      change: {
        id: changeId,
        type: 'MERGE',
        effectiveDate: '2025-07-01',
        legalBasis: 'Nghị quyết 202/2025/QH15',
        note: null,
        units: [
          { unitId: a, role: 'PREDECESSOR', partial: false },
          { unitId: b, role: 'PREDECESSOR', partial: false },
          { unitId: c, role: 'SUCCESSOR', partial: false },
        ],
      },
      units: [
        snapshot(a, '2020-01-01', '2025-06-30', [version('COMMUNE', province, '2020-01-01', '2025-06-30')]),
        snapshot(b, '2020-01-01', '2025-06-30', [version('COMMUNE', province, '2020-01-01', '2025-06-30')]),
        snapshot(c, '2025-07-01', null, [version('COMMUNE', province, '2025-07-01', null)]),
        snapshot(village, '2020-01-01', null, [
          version('VILLAGE', a, '2020-01-01', '2025-06-30'),
          version('VILLAGE', c, '2025-07-01', null),
        ]),
      ],
    },
    at('2025-07-01'),
  );
  return [
    created(province, 'PROVINCE', null),
    created(a, 'COMMUNE', province),
    created(b, 'COMMUNE', province),
    created(village, 'VILLAGE', a),
    merge,
  ];
}
