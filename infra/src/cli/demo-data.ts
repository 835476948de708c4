import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { dataRoot, type StackState } from '../stack/stack';

interface DemoUnit {
  key: string;
  code: string;
  name: string;
  kind: 'NATION' | 'PROVINCE' | 'COMMUNE' | 'VILLAGE';
  parent?: string;
}

/** A small slice of the post-2025 structure (official codes), enough to explore the graph; the full import comes with the hierarchy module. */
const DEMO_UNITS: DemoUnit[] = [
  { key: 'vn', code: 'VN', name: 'Việt Nam', kind: 'NATION' },
  { key: 'ls', code: '20', name: 'Tỉnh Lạng Sơn', kind: 'PROVINCE', parent: 'vn' },
  { key: 'ls-dongkinh', code: '05977', name: 'Phường Đông Kinh', kind: 'COMMUNE', parent: 'ls' },
  { key: 'ls-huulung', code: '06385', name: 'Xã Hữu Lũng', kind: 'COMMUNE', parent: 'ls' },
  { key: 'tn', code: '80', name: 'Tỉnh Tây Ninh', kind: 'PROVINCE', parent: 'vn' },
  { key: 'tn-tanninh', code: '25459', name: 'Phường Tân Ninh', kind: 'COMMUNE', parent: 'tn' },
];

/** Creates the demo units through the gateway once; their ids are remembered in the data folder. */
export async function seedDemoData(state: StackState, token: string, logger: Logger): Promise<void> {
  const file = path.join(dataRoot(state.profile), 'demo-units.json');
  const ids: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  for (const unit of DEMO_UNITS) {
    if (ids[unit.key]) continue;
    const res = await fetch(state.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'mutation($input: CreateAdminUnitInput!) { createAdminUnit(input: $input) { adminUnit { id } } }',
        variables: {
          input: {
            code: unit.code,
            name: unit.name,
            kind: unit.kind,
            parentId: unit.parent ? ids[unit.parent] : null,
            validFrom: '2025-07-01',
          },
        },
      }),
    });
    const body = (await res.json()) as { data?: { createAdminUnit?: { adminUnit: { id: string } } }; errors?: { message: string }[] };
    const id = body.data?.createAdminUnit?.adminUnit.id;
    if (!id) {
      logger.warn({ unit: unit.code, errors: body.errors?.map((e) => e.message) }, 'demo unit not created');
      continue;
    }
    ids[unit.key] = id;
    writeFileSync(file, JSON.stringify(ids, null, 2));
  }
  logger.info({ units: Object.keys(ids).length }, 'demo data in place');
}
