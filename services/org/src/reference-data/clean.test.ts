import { buildReferencePlan, LAST_DAY_BEFORE_REFORM, REFORM_DATE, type ReferencePlan } from './clean';
import { loadReferenceSource, type ReferenceSource, type WardMappingRow } from './source';

const line = (plan: ReferencePlan, section: 'used' | 'fixed' | 'dropped', what: RegExp) =>
  plan.report[section].find((l) => what.test(l.what))?.count ?? 0;

describe('the reference hierarchy built from the published data', () => {
  const plan = buildReferencePlan(loadReferenceSource());
  const byKey = new Map(plan.units.map((u) => [u.key, u]));

  it('has 63 provinces, their districts and 10,034 communes until 2025-06-30, and 34 provinces and 3,321 communes after', () => {
    expect(plan.report.totals).toMatchObject({
      'tỉnh trước 2025-07-01': 63,
      'huyện trước 2025-07-01': 691,
      'xã trước 2025-07-01': 10034,
      'tỉnh từ 2025-07-01': 34,
      'xã từ 2025-07-01': 3321,
    });
  });

  it('ends every former commune and district on 2025-06-30 unless it continues, and links each ended commune to a successor', () => {
    const successorsOf = new Map<string, number>();
    for (const c of plan.changes)
      for (const l of c.links) if (l.role === 'PREDECESSOR') successorsOf.set(l.unit, (successorsOf.get(l.unit) ?? 0) + 1);
    const endedCommunes = plan.units.filter((u) => u.validTo === LAST_DAY_BEFORE_REFORM && u.versions[0]!.kind === 'COMMUNE');
    expect(endedCommunes.length).toBe(10034 - 147);
    expect(endedCommunes.filter((u) => !successorsOf.has(u.key))).toEqual([]);
    expect(plan.units.filter((u) => u.versions[0]!.kind === 'DISTRICT' && u.validTo !== LAST_DAY_BEFORE_REFORM)).toEqual([]);
    expect(plan.changes.every((c) => c.effectiveDate === REFORM_DATE)).toBe(true);
  });

  it('merges Hà Giang into Tuyên Quang (a new unit keeping code 08) and keeps Hà Nội as it was', () => {
    const merge = plan.changes.find((c) => c.key === 'MERGE:province:08')!;
    const names = (role: string) => merge.links.filter((l) => l.role === role).map((l) => byKey.get(l.unit)!.versions[0]!.name);
    expect(names('PREDECESSOR').sort()).toEqual(['Tỉnh Hà Giang', 'Tỉnh Tuyên Quang']);
    expect(names('SUCCESSOR')).toEqual(['Tỉnh Tuyên Quang']);
    expect(merge.legalBasis).toMatch(/202\/2025\/QH15/);
    const hanoi = plan.units.filter((u) => u.code === '01');
    expect(hanoi).toHaveLength(1);
    expect(hanoi[0]!.validTo).toBeNull();
  });

  it('records a divided former commune as a partial predecessor of each commune that received part of it', () => {
    const partial = plan.changes.flatMap((c) => c.links.filter((l) => l.partial).map((l) => ({ change: c.key, unit: l.unit })));
    expect(partial.length).toBeGreaterThan(0);
    const byUnit = new Map<string, number>();
    for (const p of partial) byUnit.set(p.unit, (byUnit.get(p.unit) ?? 0) + 1);
    expect([...byUnit.values()].every((n) => n >= 2)).toBe(true);
  });

  it('uses one unit per code at any date', () => {
    const periods = new Map<string, [string, string][]>();
    for (const u of plan.units) periods.set(u.code, [...(periods.get(u.code) ?? []), [u.validFrom, u.validTo ?? '9999-12-31']]);
    for (const [, ps] of periods) {
      ps.sort(([a], [b]) => a.localeCompare(b));
      for (let i = 1; i < ps.length; i++) expect(ps[i]![0] > ps[i - 1]![1]).toBe(true);
    }
  });

  it('stores names in NFC and reports the rows it fixed or dropped, with counts', () => {
    expect(plan.units.every((u) => u.versions.every((v) => v.name === v.name.normalize('NFC')))).toBe(true);
    expect(line(plan, 'fixed', /NFC/)).toBeGreaterThan(0);
    expect(line(plan, 'dropped', /không có trong danh sách xã ngày 2025-06-30/)).toBe(913);
    expect(line(plan, 'used', /dòng ánh xạ có mã/)).toBe(10034);
  });
});

describe('cleaning the mapping table', () => {
  const base = (): ReferenceSource => ({
    label: 'test',
    provinces: [
      { province_code: '20', name: 'Lạng Sơn', short_name: 'Lạng Sơn', place_type: 'Tỉnh' },
      { province_code: '04', name: 'Cao Bằng', short_name: 'Cao Bằng', place_type: 'Tỉnh' },
    ],
    wards: [
      { ward_code: '05977', name: 'Phường Đông Kinh', province_code: '20' },
      { ward_code: '06385', name: 'Xã Hữu Lũng', province_code: '20' },
      { ward_code: '01270', name: 'Phường Thục Phán', province_code: '04' },
    ],
    mappings: [],
    gso: {
      provinces: { '20': { code: '20', name_with_type: 'Tỉnh Lạng Sơn', type: 'tinh' } },
      districts: { '178': { code: '178', name_with_type: 'Thành phố Lạng Sơn', type: 'thanh-pho', parent_code: '20' } },
      communes: {
        '05977': { code: '05977', name_with_type: 'Phường Đông Kinh', type: 'phuong', parent_code: '178' },
        '05980': { code: '05980', name_with_type: 'Phường Chi Lăng', type: 'phuong', parent_code: '178' },
      },
    },
  });
  let id = 0;
  const row = (old: [string | null, string | null], to: [string | null, string]): WardMappingRow => ({
    id: String(++id),
    old_ward_code: old[0],
    old_ward_name: old[1],
    old_district_name: old[1] ? 'Thành phố Lạng Sơn' : null,
    old_province_name: old[1] ? 'Tỉnh Lạng Sơn' : null,
    new_ward_code: to[0],
    new_ward_name: to[1],
    new_province_name: 'Lạng Sơn',
  });

  it('uses coded rows, drops an exact duplicate, and finds a successor whose code points nowhere by its name', () => {
    const s = base();
    s.mappings = [
      row(['05977', 'Phường Đông Kinh'], ['05977', 'Phường Đông Kinh']),
      row(['05980', 'Phường Chi Lăng'], ['05977', 'Phường Đông Kinh']),
      row(['05980', 'Phường Chi Lăng'], ['05977', 'Phường Đông Kinh']),
      row(['05983', 'Phường Tam Thanh'], ['99999', 'Phường Đông Kinh']),
    ];
    const plan = buildReferencePlan(s);
    expect(line(plan, 'used', /dòng ánh xạ có mã/)).toBe(2 + 1);
    expect(line(plan, 'dropped', /trùng lặp/)).toBe(1);
    expect(line(plan, 'fixed', /tìm theo tên trong tỉnh mới/)).toBe(1);
    const merge = plan.changes.find((c) => c.key === 'MERGE:commune:05977')!;
    expect(merge.links.filter((l) => l.role === 'PREDECESSOR')).toHaveLength(3);
  });

  it('recovers a missing former code from the commune names, marks the divided commune partial, and drops what it cannot place', () => {
    const s = base();
    s.mappings = [
      row(['05977', 'Phường Đông Kinh'], ['05977', 'Phường Đông Kinh']),
      row(['05980', 'Phường Chi Lăng'], ['05977', 'Phường Đông Kinh']),
      row([null, 'Phường Chi Lăng'], ['06385', 'Xã Hữu Lũng']),
      row([null, 'Phường Không Có'], ['06385', 'Xã Hữu Lũng']),
      row(['', null], ['01270', 'Phường Thục Phán']),
      row(['05990', 'Phường Lạc'], ['88888', 'Phường Không Tồn Tại']),
    ];
    const plan = buildReferencePlan(s);
    expect(line(plan, 'fixed', /tìm mã theo tên xã/)).toBe(1);
    expect(line(plan, 'dropped', /không có trong danh sách xã ngày 2025-06-30/)).toBe(1);
    expect(line(plan, 'dropped', /không nêu xã cũ nào/)).toBe(1);
    expect(line(plan, 'dropped', /xã mới không có trong danh sách/)).toBe(1);
    const partial = plan.changes.flatMap((c) => c.links.filter((l) => l.partial).map((l) => `${c.key} ${l.unit}`));
    expect(partial.sort()).toEqual(['MERGE:commune:05977 05980@2023-01-01', 'MERGE:commune:06385 05980@2023-01-01']);
    // Cao Bằng has no predecessor here: created, reported, not invented
    expect(line(plan, 'dropped', /tỉnh mới không có tỉnh tiền thân/)).toBe(1);
  });

  it('keeps the GSO code of a district renamed since the list, and derives a code (saying so) for one formed from part of a listed district', () => {
    const renamed = base();
    renamed.mappings = [{ ...row(['05977', 'Phường Đông Kinh'], ['05977', 'Phường Đông Kinh']), old_district_name: 'Quận Mới Lập' }];
    const kept = buildReferencePlan(renamed);
    expect(kept.units.find((u) => u.versions[0]!.kind === 'DISTRICT')!.code).toBe('178');
    expect(line(kept, 'fixed', /đổi tên sau danh mục GSO/)).toBe(1);

    const formed = base();
    formed.mappings = [
      { ...row(['05977', 'Phường Đông Kinh'], ['05977', 'Phường Đông Kinh']), old_district_name: 'Quận Mới Lập' },
      row(['05980', 'Phường Chi Lăng'], ['05977', 'Phường Đông Kinh']),
    ];
    const derived = buildReferencePlan(formed);
    const codes = derived.units.filter((u) => u.versions[0]!.kind === 'DISTRICT').map((u) => u.code);
    expect(codes.sort()).toEqual(['178', '20-moi-lap']);
    expect(line(derived, 'fixed', /huyện cũ không có trong danh mục GSO/)).toBe(1);
  });
});
