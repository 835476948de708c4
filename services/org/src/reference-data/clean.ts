import { foldVietnamese } from '@xhht/infra';
import { ADMIN_UNIT_SUBTYPES, subtypeFromName, type AdminUnitKind, type AdminUnitSubtype } from '../admin-units/admin-unit-kind';
import type { AdminUnitChangeType, ChangeRole } from '../admin-units/admin-unit-change.entity';
import type { ReferenceSource, WardMappingRow } from './source';

/**
 * Turns the published data into the hierarchy before and after the 2025 reform: the nation, the
 * 63 provinces with their districts and communes in force until 2025-06-30, the 34 provinces and
 * 3,321 communes from 2025-07-01, and the recorded changes between them. The mapping table has
 * gaps, duplicates and codes that point nowhere; every row is either used as given, fixed by a
 * stated rule, or dropped with its reason, and the report counts each (nothing is guessed silently).
 */

export const REFORM_DATE = '2025-07-01';
export const LAST_DAY_BEFORE_REFORM = '2025-06-30';
/**
 * The structure before the reform is known as it stood on 2025-06-30; the register starts it at the
 * movement's first year, so 2023 and 2024 figures have units to belong to. Earlier rearrangements
 * (2023–2025) are not in the source and are not reconstructed.
 */
export const REGISTER_START = '2023-01-01';
export const NATION_FROM = '1945-09-02';
export const NATION_CODE = 'VN';

export const LEGAL_BASIS = {
  provinces: 'Nghị quyết 202/2025/QH15 về việc sắp xếp đơn vị hành chính cấp tỉnh',
  communes: (province: string) => `Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã của ${province} năm 2025`,
  districts: 'Luật Tổ chức chính quyền địa phương số 72/2025/QH15 (chính quyền địa phương hai cấp, không tổ chức cấp huyện)',
};

export interface PlannedVersion {
  validFrom: string;
  validTo: string | null;
  name: string;
  kind: AdminUnitKind;
  subtype: AdminUnitSubtype;
  /** Key of the parent unit. */
  parent: string | null;
}

export interface PlannedUnit {
  /** `code@validFrom`: stable across runs, one per unit. */
  key: string;
  code: string;
  validFrom: string;
  validTo: string | null;
  versions: PlannedVersion[];
  /** Units formed by a change appear in its event; the others get a created event. */
  formedBy?: string;
}

export interface PlannedChange {
  key: string;
  type: AdminUnitChangeType;
  effectiveDate: string;
  legalBasis: string;
  note: string | null;
  links: { unit: string; role: ChangeRole; partial: boolean }[];
}

export interface ReportLine {
  what: string;
  count: number;
  examples: string[];
}

export interface CleaningReport {
  source: string;
  used: ReportLine[];
  fixed: ReportLine[];
  dropped: ReportLine[];
  totals: Record<string, number>;
}

export interface ReferencePlan {
  units: PlannedUnit[];
  changes: PlannedChange[];
  report: CleaningReport;
}

const MAX_EXAMPLES = 5;

class Tally {
  private readonly lines = new Map<string, ReportLine>();
  add(what: string, example?: string): void {
    let l = this.lines.get(what);
    if (!l) this.lines.set(what, (l = { what, count: 0, examples: [] }));
    l.count++;
    if (example && l.examples.length < MAX_EXAMPLES) l.examples.push(example);
  }
  list(): ReportLine[] {
    return [...this.lines.values()];
  }
}

/** Name without its leading type word, folded: "Tỉnh Hoà Bình" and "Hòa Bình" both give "hoa binh". */
const bareName = (name: string): string =>
  foldVietnamese(name).replace(/^(tinh|thanh pho|quan|huyen|thi xa|thi tran|phuong|xa|dac khu)\s+/, '');
const fullKey = (...parts: (string | null | undefined)[]) => parts.map((p) => foldVietnamese(p ?? '')).join('|');
const slug = (name: string) =>
  bareName(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const unitKey = (code: string, from: string) => `${code}@${from}`;
const describe = (m: WardMappingRow) =>
  `#${m.id} ${m.old_ward_name ?? '∅'} (${m.old_district_name ?? '∅'}, ${m.old_province_name ?? '∅'}) → ${m.new_ward_code ?? '∅'} ${m.new_ward_name ?? ''}`;

interface NewProvince {
  code: string;
  name: string;
  subtype: AdminUnitSubtype;
}
interface NewCommune {
  code: string;
  name: string;
  subtype: AdminUnitSubtype;
  province: NewProvince;
}
interface OldCommune {
  code: string;
  name: string;
  district: string;
  province: string;
  /** New communes it became part of; more than one when its area was divided. */
  successors: Set<string>;
}

function majority<T>(values: T[]): { value: T; share: number } | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let n = 0;
  for (const [v, c] of counts)
    if (c > n) {
      best = v;
      n = c;
    }
  return best === undefined ? undefined : { value: best, share: n / values.length };
}

/**
 * Corrections found by cross-checking with `new-vn-provinces` and the GSO list, each with its
 * evidence; applied by code and printed in the report. See reference-data/README.md.
 */
export const WARD_CODE_CORRECTIONS: { code: string; name: string; correct: string; reason: string }[] = [
  {
    code: '23737',
    name: 'Xã Ia Mơ',
    correct: '23938',
    reason:
      '23737 là mã của Xã Ia Mơ Nông (huyện Chư Păh), xã mà bảng ánh xạ đưa vào Xã Ia Ly; danh mục GSO và new-vn-provinces cho Xã Ia Mơ mã 23938',
  },
];

export function buildReferencePlan(source: ReferenceSource): ReferencePlan {
  const used = new Tally();
  const fixed = new Tally();
  const dropped = new Tally();
  // some names come in decomposed Unicode; stored names are NFC so search and comparison agree
  const nfc = <T extends object>(row: T, fields: (keyof T)[], label: string): T => {
    const out = { ...row };
    for (const f of fields) {
      const v = row[f];
      if (typeof v === 'string' && v !== v.normalize('NFC')) {
        out[f] = v.normalize('NFC') as T[keyof T];
        fixed.add(`tên chuẩn hoá Unicode NFC (${label})`, v.normalize('NFC'));
      }
    }
    return out;
  };
  source = {
    ...source,
    provinces: source.provinces.map((p) => nfc(p, ['name'], 'tỉnh mới')),
    wards: source.wards.map((w) => {
      const c = WARD_CODE_CORRECTIONS.find((x) => x.code === w.ward_code && x.name === w.name.normalize('NFC'));
      if (c) fixed.add(`mã xã mới sửa theo đối chiếu: ${c.reason}`, `${c.code} ${c.name} ⇒ ${c.correct}`);
      return nfc(c ? { ...w, ward_code: c.correct } : w, ['name'], 'xã mới');
    }),
    mappings: source.mappings.map((m) =>
      nfc(m, ['old_ward_name', 'old_district_name', 'old_province_name', 'new_ward_name', 'new_province_name'], 'bảng ánh xạ'),
    ),
  };

  // ── After the reform: provinces and communes as listed ─────────────────────────────────────────
  const newProvinces = new Map<string, NewProvince>();
  const newProvinceByName = new Map<string, NewProvince>();
  for (const p of source.provinces) {
    const municipality = foldVietnamese(p.place_type).startsWith('thanh pho');
    // the list gives provinces without "Tỉnh"; the official name has it
    const name = municipality || /^(Tỉnh|Thành phố)\s/.test(p.name) ? p.name : `Tỉnh ${p.name}`;
    if (name !== p.name) fixed.add('tên tỉnh mới thêm chữ "Tỉnh" theo tên chính thức', `${p.province_code} ${p.name} → ${name}`);
    if (newProvinces.has(p.province_code)) {
      dropped.add('tỉnh mới trùng mã', `${p.province_code} ${p.name}`);
      continue;
    }
    const province = { code: p.province_code, name, subtype: (municipality ? 'MUNICIPALITY' : 'PROVINCE') as AdminUnitSubtype };
    newProvinces.set(p.province_code, province);
    newProvinceByName.set(bareName(name), province);
  }

  const newCommunes = new Map<string, NewCommune>();
  const newCommuneByName = new Map<string, NewCommune[]>();
  for (const w of source.wards) {
    const province = newProvinces.get(w.province_code);
    if (!province) {
      dropped.add('xã mới thuộc mã tỉnh không có trong danh sách', `${w.ward_code} ${w.name} (${w.province_code})`);
      continue;
    }
    if (newCommunes.has(w.ward_code)) {
      dropped.add('xã mới trùng mã', `${w.ward_code} ${w.name}`);
      continue;
    }
    const subtype = subtypeFromName(w.name, 'COMMUNE');
    if (!subtype) {
      dropped.add('xã mới có tên không rõ loại (xã, phường, đặc khu)', `${w.ward_code} ${w.name}`);
      continue;
    }
    const commune = { code: w.ward_code, name: w.name, subtype, province };
    newCommunes.set(commune.code, commune);
    const k = fullKey(province.code, w.name);
    newCommuneByName.set(k, [...(newCommuneByName.get(k) ?? []), commune]);
  }

  // ── The mapping: which former commune became part of which new one ─────────────────────────────
  /** The new commune a row names: by code, or by name within its province when the code points nowhere. */
  const successorOf = (m: WardMappingRow): NewCommune | undefined => {
    const byCode = m.new_ward_code ? newCommunes.get(m.new_ward_code) : undefined;
    if (byCode) return byCode;
    const province = m.new_province_name ? newProvinceByName.get(bareName(m.new_province_name)) : undefined;
    const candidates = province && m.new_ward_name ? (newCommuneByName.get(fullKey(province.code, m.new_ward_name)) ?? []) : [];
    if (candidates.length === 1) {
      fixed.add('mã xã mới không có trong danh sách: tìm theo tên trong tỉnh mới', `${describe(m)} ⇒ ${candidates[0]!.code}`);
      return candidates[0];
    }
    dropped.add(
      candidates.length > 1 ? 'xã mới không xác định được (trùng tên trong tỉnh)' : 'xã mới không có trong danh sách (mã và tên)',
      describe(m),
    );
    return undefined;
  };

  const oldCommunes = new Map<string, OldCommune>();
  const uncoded: WardMappingRow[] = [];
  for (const m of source.mappings) {
    if (!m.old_ward_code) {
      if (!m.old_ward_name || !m.old_district_name || !m.old_province_name) {
        dropped.add('dòng không nêu xã cũ nào (đơn vị mới không có xã tiền thân trong bảng)', describe(m));
      } else uncoded.push(m);
      continue;
    }
    if (!m.old_ward_name || !m.old_district_name || !m.old_province_name) {
      dropped.add('xã cũ thiếu tên, huyện hoặc tỉnh', describe(m));
      continue;
    }
    const successor = successorOf(m);
    if (!successor) continue;
    const known = oldCommunes.get(m.old_ward_code);
    if (!known) {
      oldCommunes.set(m.old_ward_code, {
        code: m.old_ward_code,
        name: m.old_ward_name,
        district: m.old_district_name,
        province: m.old_province_name,
        successors: new Set([successor.code]),
      });
      used.add('dòng ánh xạ có mã xã cũ và mã xã mới');
    } else if (known.successors.has(successor.code)) {
      dropped.add('dòng ánh xạ trùng lặp', describe(m));
    } else if (fullKey(known.province, known.district, known.name) !== fullKey(m.old_province_name, m.old_district_name, m.old_ward_name)) {
      dropped.add('cùng mã xã cũ nhưng khác tên, huyện hoặc tỉnh', describe(m));
    } else {
      known.successors.add(successor.code);
      used.add('dòng ánh xạ có mã xã cũ và mã xã mới');
    }
  }

  // rows without the former code: the commune is found by its names among the coded ones, or dropped
  const oldByName = new Map<string, OldCommune[]>();
  for (const c of oldCommunes.values()) {
    const k = fullKey(bareName(c.province), c.district, c.name);
    oldByName.set(k, [...(oldByName.get(k) ?? []), c]);
  }
  for (const m of uncoded) {
    const candidates = oldByName.get(fullKey(bareName(m.old_province_name!), m.old_district_name, m.old_ward_name)) ?? [];
    if (candidates.length !== 1) {
      dropped.add(
        candidates.length > 1
          ? 'dòng thiếu mã xã cũ, tên xã cũ trùng nhau trong huyện'
          : 'dòng thiếu mã xã cũ, xã cũ không có trong danh sách xã ngày 2025-06-30 (đã sắp xếp trước đó; không đoán)',
        describe(m),
      );
      continue;
    }
    const old = candidates[0]!;
    const successor = successorOf(m);
    if (!successor) continue;
    if (old.successors.has(successor.code)) {
      dropped.add('dòng thiếu mã xã cũ, trùng một dòng đã có', describe(m));
      continue;
    }
    old.successors.add(successor.code);
    fixed.add(
      'dòng thiếu mã xã cũ: tìm mã theo tên xã, huyện, tỉnh (một phần xã cũ chuyển sang xã mới này)',
      `${describe(m)} ⇒ ${old.code}`,
    );
  }

  // ── Former provinces and districts: codes from the GSO list ────────────────────────────────────
  const gso = source.gso;
  const gsoDistrictOf = (communeCode: string) => gso.communes[communeCode]?.parent_code;
  const gsoProvinceOfDistrict = (districtCode: string | undefined) => (districtCode ? gso.districts[districtCode]?.parent_code : undefined);

  const communesByProvince = new Map<string, OldCommune[]>();
  for (const c of oldCommunes.values()) communesByProvince.set(c.province, [...(communesByProvince.get(c.province) ?? []), c]);

  interface OldProvince {
    code: string;
    name: string;
    subtype: AdminUnitSubtype;
    successor: NewProvince;
  }
  const oldProvinces = new Map<string, OldProvince>();
  const gsoProvinceByName = new Map(Object.values(gso.provinces).map((p) => [bareName(p.name_with_type), p]));
  for (const [name, communes] of [...communesByProvince].sort(([a], [b]) => a.localeCompare(b))) {
    let code = gsoProvinceByName.get(bareName(name))?.code;
    if (!code) {
      const m = majority(communes.map((c) => gsoProvinceOfDistrict(gsoDistrictOf(c.code))).filter((x): x is string => !!x));
      if (!m || m.share < 0.9) {
        dropped.add('tỉnh cũ không tìm được mã trong danh mục GSO (cả các xã của nó)', name);
        for (const c of communes) oldCommunes.delete(c.code);
        continue;
      }
      code = m.value;
      fixed.add(
        'tỉnh cũ khác tên trong danh mục GSO: mã theo mã các xã của tỉnh',
        `${name} ⇒ ${code} ${gso.provinces[code]?.name_with_type}`,
      );
    }
    const successorCodes = communes.flatMap((c) => [...c.successors].map((s) => newCommunes.get(s)!.province.code));
    const m = majority(successorCodes)!;
    if (m.share < 1) {
      fixed.add(
        'tỉnh cũ có xã chuyển sang tỉnh mới khác: tỉnh cũ thuộc tỉnh mới nhận phần lớn các xã',
        `${name}: ${Math.round(m.share * 100)}% → ${m.value}`,
      );
    }
    oldProvinces.set(name, {
      code,
      name,
      subtype: foldVietnamese(name).startsWith('thanh pho') ? 'MUNICIPALITY' : 'PROVINCE',
      successor: newProvinces.get(m.value)!,
    });
  }

  interface OldDistrict {
    code: string;
    name: string;
    subtype: AdminUnitSubtype;
    province: OldProvince;
    communes: OldCommune[];
  }
  const groups = new Map<string, OldCommune[]>();
  for (const c of oldCommunes.values()) {
    const k = `${c.province}|${c.district}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  // a GSO district code is taken by the district of that name; a district the list does not name
  // (renamed since) takes the code only if all its communes come from one district whose communes
  // went nowhere else; a district formed by splitting or merging gets a derived code instead
  const gsoCodesOf = (communes: OldCommune[]) => [...new Set(communes.map((c) => gsoDistrictOf(c.code)).filter((x): x is string => !!x))];
  const exactCode = (name: string, communes: OldCommune[]) =>
    gsoCodesOf(communes).find((code) => bareName(gso.districts[code]!.name_with_type) === bareName(name));
  const claimed = new Set<string>();
  const groupsPerGsoDistrict = new Map<string, number>();
  for (const [k, communes] of groups) {
    const code = exactCode(k.split('|')[1]!, communes);
    if (code) claimed.add(code);
    for (const c of gsoCodesOf(communes)) groupsPerGsoDistrict.set(c, (groupsPerGsoDistrict.get(c) ?? 0) + 1);
  }
  const oldDistricts: OldDistrict[] = [];
  const usedDistrictCodes = new Set<string>();
  for (const [k, communes] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const [provinceName, name] = k.split('|') as [string, string];
    const province = oldProvinces.get(provinceName)!;
    let code = exactCode(name, communes);
    if (code) used.add('huyện cũ: mã theo danh mục GSO (cùng tên)');
    else {
      const candidates = gsoCodesOf(communes);
      if (candidates.length === 1 && !claimed.has(candidates[0]!) && groupsPerGsoDistrict.get(candidates[0]!) === 1) {
        code = candidates[0]!;
        claimed.add(code);
        fixed.add(
          'huyện cũ đổi tên sau danh mục GSO: giữ mã của huyện chứa mọi xã của nó',
          `${name} (${province.name}) ⇒ ${code} ${gso.districts[code]!.name_with_type}`,
        );
      } else {
        code = `${province.code}-${slug(name)}`;
        fixed.add(
          'huyện cũ không có trong danh mục GSO (lập hoặc nhập sau danh mục): mã ghép từ mã tỉnh và tên',
          `${name} (${province.name}) ⇒ ${code}`,
        );
      }
    }
    if (usedDistrictCodes.has(code)) {
      dropped.add('huyện cũ trùng mã với huyện khác (các xã của nó bị bỏ)', `${name} (${province.name}) ${code}`);
      for (const c of communes) oldCommunes.delete(c.code);
      continue;
    }
    usedDistrictCodes.add(code);
    const typed = subtypeFromName(name, 'DISTRICT') ?? 'RURAL_DISTRICT';
    // a city inside a centrally-run city is its own subtype (e.g. Thành phố Thủ Đức)
    const subtype = typed === 'PROVINCIAL_CITY' && province.subtype === 'MUNICIPALITY' ? 'MUNICIPAL_CITY' : typed;
    oldDistricts.push({ code, name, subtype, province, communes });
  }

  // ── The plan: units with their versions, and the changes of 2025-07-01 ─────────────────────────
  const units: PlannedUnit[] = [];
  const changes: PlannedChange[] = [];
  const nationKey = unitKey(NATION_CODE, NATION_FROM);
  units.push({
    key: nationKey,
    code: NATION_CODE,
    validFrom: NATION_FROM,
    validTo: null,
    versions: [{ validFrom: NATION_FROM, validTo: null, name: 'Việt Nam', kind: 'NATION', subtype: 'NATION', parent: null }],
  });
  const version = (name: string, subtype: AdminUnitSubtype, parent: string, from: string, to: string | null): PlannedVersion => ({
    validFrom: from,
    validTo: to,
    name,
    kind: ADMIN_UNIT_SUBTYPES[subtype].kind,
    subtype,
    parent,
  });

  /** A unit in force from the reform on; `formedBy` names the change whose event announces it. */
  const formedAtReform = (u: { code: string; name: string; subtype: AdminUnitSubtype }, parent: string, formedBy?: string): string => {
    const key = unitKey(u.code, REFORM_DATE);
    units.push({
      key,
      code: u.code,
      validFrom: REFORM_DATE,
      validTo: null,
      formedBy,
      versions: [version(u.name, u.subtype, parent, REFORM_DATE, null)],
    });
    return key;
  };

  // provinces: one that keeps its code and is the only predecessor continues; the others merge into a new unit
  const newProvinceKey = new Map<string, string>();
  const oldProvinceKey = new Map<string, string>();
  const predecessorsOf = new Map<string, OldProvince[]>();
  for (const p of oldProvinces.values()) predecessorsOf.set(p.successor.code, [...(predecessorsOf.get(p.successor.code) ?? []), p]);
  for (const np of newProvinces.values()) {
    const preds = (predecessorsOf.get(np.code) ?? []).sort((a, b) => a.code.localeCompare(b.code));
    if (preds.length === 1 && preds[0]!.code === np.code) {
      const old = preds[0]!;
      const key = unitKey(np.code, REGISTER_START);
      const renamed = old.name !== np.name || old.subtype !== np.subtype;
      units.push({
        key,
        code: np.code,
        validFrom: REGISTER_START,
        validTo: null,
        versions: renamed
          ? [
              version(old.name, old.subtype, nationKey, REGISTER_START, LAST_DAY_BEFORE_REFORM),
              version(np.name, np.subtype, nationKey, REFORM_DATE, null),
            ]
          : [version(np.name, np.subtype, nationKey, REGISTER_START, null)],
      });
      if (renamed) {
        changes.push({
          key: `RENAME:province:${np.code}`,
          type: old.subtype !== np.subtype ? 'RECLASSIFY' : 'RENAME',
          effectiveDate: REFORM_DATE,
          legalBasis: LEGAL_BASIS.provinces,
          note: null,
          links: [{ unit: key, role: 'SUBJECT', partial: false }],
        });
      }
      newProvinceKey.set(np.code, key);
      oldProvinceKey.set(old.name, key);
      used.add('tỉnh giữ nguyên (không sáp nhập)');
      continue;
    }
    const changeKey = `MERGE:province:${np.code}`;
    const key = formedAtReform(np, nationKey, preds.length > 0 ? changeKey : undefined);
    newProvinceKey.set(np.code, key);
    if (preds.length === 0) {
      dropped.add('tỉnh mới không có tỉnh tiền thân trong bảng (chỉ tạo mới)', np.name);
      continue;
    }
    for (const old of preds) {
      const oldKey = unitKey(old.code, REGISTER_START);
      oldProvinceKey.set(old.name, oldKey);
      units.push({
        key: oldKey,
        code: old.code,
        validFrom: REGISTER_START,
        validTo: LAST_DAY_BEFORE_REFORM,
        versions: [version(old.name, old.subtype, nationKey, REGISTER_START, LAST_DAY_BEFORE_REFORM)],
      });
    }
    changes.push({
      key: changeKey,
      type: 'MERGE',
      effectiveDate: REFORM_DATE,
      legalBasis: LEGAL_BASIS.provinces,
      note: `Hợp nhất ${preds.map((p) => p.name).join(', ')} thành ${np.name}`,
      links: [
        ...preds.map((p) => ({ unit: oldProvinceKey.get(p.name)!, role: 'PREDECESSOR' as const, partial: false })),
        { unit: key, role: 'SUCCESSOR', partial: false },
      ],
    });
  }

  // districts: they cease with the two-level local government; their communes end or move first
  const oldCommuneKey = new Map<string, string>();
  const districtOf = new Map<string, string>();
  for (const d of oldDistricts) {
    const key = unitKey(d.code, REGISTER_START);
    units.push({
      key,
      code: d.code,
      validFrom: REGISTER_START,
      validTo: LAST_DAY_BEFORE_REFORM,
      versions: [version(d.name, d.subtype, oldProvinceKey.get(d.province.name)!, REGISTER_START, LAST_DAY_BEFORE_REFORM)],
    });
    for (const c of d.communes) districtOf.set(c.code, key);
  }

  // communes: one whole former commune alone, keeping its code, continues (moved under the province);
  // every other new commune is a new unit formed by merging its predecessors (partly, where divided)
  const predecessorsOfCommune = new Map<string, OldCommune[]>();
  for (const c of oldCommunes.values())
    for (const s of c.successors) predecessorsOfCommune.set(s, [...(predecessorsOfCommune.get(s) ?? []), c]);
  const continuing = new Set<string>();
  for (const nc of newCommunes.values()) {
    const preds = predecessorsOfCommune.get(nc.code) ?? [];
    if (preds.length === 1 && preds[0]!.successors.size === 1 && preds[0]!.code === nc.code) continuing.add(nc.code);
  }
  const communeSubtype = (name: string) => subtypeFromName(name, 'COMMUNE') ?? 'COMMUNE';
  for (const c of oldCommunes.values()) {
    if (continuing.has(c.code)) continue;
    const key = unitKey(c.code, REGISTER_START);
    oldCommuneKey.set(c.code, key);
    units.push({
      key,
      code: c.code,
      validFrom: REGISTER_START,
      validTo: LAST_DAY_BEFORE_REFORM,
      versions: [version(c.name, communeSubtype(c.name), districtOf.get(c.code)!, REGISTER_START, LAST_DAY_BEFORE_REFORM)],
    });
  }
  for (const nc of [...newCommunes.values()].sort((a, b) => a.code.localeCompare(b.code))) {
    const provinceKey = newProvinceKey.get(nc.province.code)!;
    const basis = LEGAL_BASIS.communes(nc.province.name);
    if (continuing.has(nc.code)) {
      const old = oldCommunes.get(nc.code)!;
      const key = unitKey(nc.code, REGISTER_START);
      const oldSubtype = communeSubtype(old.name);
      units.push({
        key,
        code: nc.code,
        validFrom: REGISTER_START,
        validTo: null,
        versions: [
          version(old.name, oldSubtype, districtOf.get(old.code)!, REGISTER_START, LAST_DAY_BEFORE_REFORM),
          version(nc.name, nc.subtype, provinceKey, REFORM_DATE, null),
        ],
      });
      const subject = [{ unit: key, role: 'SUBJECT' as const, partial: false }];
      changes.push({
        key: `MOVE:commune:${nc.code}`,
        type: 'MOVE',
        effectiveDate: REFORM_DATE,
        legalBasis: basis,
        note: null,
        links: subject,
      });
      if (oldSubtype !== nc.subtype) {
        changes.push({
          key: `RECLASSIFY:commune:${nc.code}`,
          type: 'RECLASSIFY',
          effectiveDate: REFORM_DATE,
          legalBasis: basis,
          note: null,
          links: subject,
        });
      } else if (old.name !== nc.name) {
        changes.push({
          key: `RENAME:commune:${nc.code}`,
          type: 'RENAME',
          effectiveDate: REFORM_DATE,
          legalBasis: basis,
          note: null,
          links: subject,
        });
      }
      used.add('xã giữ nguyên (chỉ chuyển về trực thuộc tỉnh)');
      continue;
    }
    const preds = (predecessorsOfCommune.get(nc.code) ?? []).sort((a, b) => a.code.localeCompare(b.code));
    const changeKey = `MERGE:commune:${nc.code}`;
    const key = formedAtReform(nc, provinceKey, preds.length > 0 ? changeKey : undefined);
    if (preds.length === 0) {
      dropped.add('xã mới không có xã tiền thân trong bảng (chỉ tạo mới)', `${nc.code} ${nc.name}`);
      continue;
    }
    changes.push({
      key: changeKey,
      type: 'MERGE',
      effectiveDate: REFORM_DATE,
      legalBasis: basis,
      note: null,
      links: [
        ...preds.map((p) => ({ unit: oldCommuneKey.get(p.code)!, role: 'PREDECESSOR' as const, partial: p.successors.size > 1 })),
        { unit: key, role: 'SUCCESSOR', partial: false },
      ],
    });
  }
  for (const d of oldDistricts) {
    changes.push({
      key: `DISSOLVE:district:${d.code}`,
      type: 'DISSOLVE',
      effectiveDate: REFORM_DATE,
      legalBasis: LEGAL_BASIS.districts,
      note: null,
      links: [{ unit: unitKey(d.code, REGISTER_START), role: 'SUBJECT', partial: false }],
    });
  }

  const before = (u: PlannedUnit, kind: AdminUnitKind) =>
    u.validFrom <= LAST_DAY_BEFORE_REFORM && u.versions.some((v) => v.kind === kind && v.validFrom <= LAST_DAY_BEFORE_REFORM);
  const after = (u: PlannedUnit, kind: AdminUnitKind) =>
    u.validTo === null && u.versions.some((v) => v.kind === kind && v.validTo === null);
  const count = (f: (u: PlannedUnit) => boolean) => units.filter(f).length;
  const totals: Record<string, number> = {
    'tỉnh trước 2025-07-01': count((u) => before(u, 'PROVINCE')),
    'huyện trước 2025-07-01': count((u) => before(u, 'DISTRICT')),
    'xã trước 2025-07-01': count((u) => before(u, 'COMMUNE')),
    'tỉnh từ 2025-07-01': count((u) => after(u, 'PROVINCE')),
    'xã từ 2025-07-01': count((u) => after(u, 'COMMUNE')),
    'đơn vị': units.length,
    'thay đổi': changes.length,
  };
  for (const type of ['MERGE', 'MOVE', 'RENAME', 'RECLASSIFY', 'DISSOLVE'] as const) {
    totals[`thay đổi ${type}`] = changes.filter((c) => c.type === type).length;
  }
  return { units, changes, report: { source: source.label, used: used.list(), fixed: fixed.list(), dropped: dropped.list(), totals } };
}

/** The report as printed by `npm run import:units`. */
export function formatReport(report: CleaningReport): string {
  const section = (title: string, lines: ReportLine[]) => [
    `${title}: ${lines.reduce((n, l) => n + l.count, 0)}`,
    ...lines.flatMap((l) => [`  ${String(l.count).padStart(6)}  ${l.what}`, ...l.examples.map((e) => `          vd. ${e}`)]),
  ];
  return [
    `Nguồn: ${report.source}`,
    ...section('Dùng nguyên', report.used),
    ...section('Sửa theo quy tắc', report.fixed),
    ...section('Bỏ', report.dropped),
    'Kết quả:',
    ...Object.entries(report.totals).map(([k, v]) => `  ${String(v).padStart(6)}  ${k}`),
  ].join('\n');
}
