import { execFileSync } from 'node:child_process';
import { buildReferencePlan, REFORM_DATE, WARD_CODE_CORRECTIONS } from './clean';
import { loadReferenceSource } from './source';

/**
 * The structure from 2025-07-01 against a second publication, `new-vn-provinces` 3.0.0. The
 * differences found, and which value is used, are listed in reference-data/README.md; this test
 * fails if either package changes so that a new difference appears.
 */

/** The package loads its data with a dynamic import, which the test runner's module sandbox refuses: read it in a plain Node. */
function newVnProvinces(): { provinces: { idProvince: string; name: string }[]; wards: { idWard: string; name: string }[] } {
  const script = `Promise.all([require('new-vn-provinces/provinces').getAllProvince(), require('new-vn-provinces/wards').getAllWards()])
    .then(([provinces, wards]) => process.stdout.write(JSON.stringify({ provinces, wards })))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: __dirname, maxBuffer: 64 << 20 }).toString('utf8'));
}

describe('the structure from 2025-07-01 cross-checked with new-vn-provinces', () => {
  const plan = buildReferencePlan(loadReferenceSource());
  const current = plan.units.filter((u) => u.validTo === null && u.versions.at(-1)!.validFrom <= REFORM_DATE);
  const theirs = newVnProvinces();
  const ours = (kind: string) =>
    new Map(current.filter((u) => u.versions.at(-1)!.kind === kind).map((u) => [u.code, u.versions.at(-1)!.name]));

  it('has the same 34 province codes and names', () => {
    expect(ours('PROVINCE')).toEqual(new Map(theirs.provinces.map((p) => [p.idProvince, p.name])));
  });

  it('has the same 3,321 commune codes; names differ only where documented', () => {
    const wards = new Map(theirs.wards.map((w) => [w.idWard, w.name]));
    const mine = ours('COMMUNE');
    expect(mine.size).toBe(3321);
    expect(wards.size).toBe(3321);
    const differences: string[] = [];
    for (const [code, name] of mine) {
      const other = wards.get(code);
      if (other === undefined) differences.push(`${code} ${name}: only here`);
      else if (other.normalize('NFC') !== name) differences.push(`${code} ${name} | ${other.normalize('NFC')}`);
    }
    for (const [code, name] of wards) if (!mine.has(code)) differences.push(`${code} ${name}: only in new-vn-provinces`);
    expect(differences.sort()).toEqual(
      [
        // new-vn-provinces numbers Xã Ba Chẽ 06978, a code neither the GSO list nor the mapping knows;
        // 06970 is the code of Thị trấn Ba Chẽ, one of its predecessors: 06970 is used
        '06970 Xã Ba Chẽ: only here',
        '06978 Xã Ba Chẽ: only in new-vn-provinces',
        // one letter differs: the primary source's spelling is kept
        '00745 Xã Phố Bảng | Xã Phó Bảng',
        // typographic apostrophe (primary source) against ASCII: the primary source's is kept
        "24184 Xã Ea H’Leo | Xã Ea H'Leo",
        "24280 Xã Cư M’gar | Xã Cư M'gar",
        "24286 Xã Ea M’Droh | Xã Ea M'Droh",
        "24412 Xã M’Drắk | Xã M'Drắk",
        "24436 Xã Cư M’ta | Xã Cư M'ta",
      ].sort(),
    );
    // the correction applied from this comparison
    expect(WARD_CODE_CORRECTIONS.map((c) => c.correct)).toEqual(['23938']);
    expect(mine.get('23938')).toBe(wards.get('23938'));
  });
});
