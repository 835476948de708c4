import { randomUUID } from 'node:crypto';
import { foldVietnamese } from '@xhht/infra';
import { PERSON_REGISTERED, PERSON_UPDATED, personEventData } from '../persons/person.domain';
import { readOccupationalGroup, readSex, type ColumnMap, type ColumnSpec } from './columns';
import { idsByNaturalKey, naturalKey, resolveOrganizationRefs, type ImportContext } from './context';
import { copyLine } from './copy';
import { Batches, checkCode, checkText, earlierRow, rowCheck, type KindImporter, type RowValues } from './kind';
import { UnchangedProbe, writeStagedBatch } from './staged-batch';

type Field =
  'unitCode' | 'code' | 'fullName' | 'birthYear' | 'sex' | 'occupationalGroup' | 'householdCode' | 'workplaceCode' | 'workplaceUnitCode';

export const PERSON_COLUMNS: ColumnSpec<Field>[] = [
  {
    field: 'unitCode',
    required: true,
    label: 'Mã đơn vị',
    aliases: ['Mã đơn vị', 'unit_code', 'Mã thôn', 'village_code', 'Mã xã', 'commune_code'],
  },
  { field: 'code', required: true, label: 'Mã công dân', aliases: ['Mã công dân', 'person_code', 'Mã người', 'Mã nhân khẩu', 'code'] },
  { field: 'fullName', required: true, label: 'Họ và tên', aliases: ['Họ và tên', 'full_name', 'Họ tên', 'name'] },
  { field: 'birthYear', required: true, label: 'Năm sinh', aliases: ['Năm sinh', 'birth_year'] },
  { field: 'sex', required: true, label: 'Giới tính', aliases: ['Giới tính', 'sex', 'gender'] },
  {
    field: 'occupationalGroup',
    required: true,
    label: 'Nhóm nghề',
    aliases: ['Nhóm nghề', 'occupational_group', 'Nhóm nghề nghiệp', 'Nghề nghiệp', 'occupation'],
  },
  { field: 'householdCode', required: false, label: 'Mã hộ', aliases: ['Mã hộ', 'household_code', 'Mã hộ gia đình'] },
  {
    field: 'workplaceCode',
    required: false,
    label: 'Mã nơi làm việc',
    aliases: ['Mã nơi làm việc', 'workplace_code', 'Mã cơ quan', 'Mã tổ chức'],
  },
  {
    field: 'workplaceUnitCode',
    required: false,
    label: 'Mã đơn vị nơi làm việc',
    aliases: ['Mã đơn vị nơi làm việc', 'workplace_unit_code'],
  },
];

interface Pending {
  row: number;
  unitCode: string;
  code: string;
  fullName: string;
  birthYear: number;
  sex: 'FEMALE' | 'MALE';
  group: string;
  householdCode: string;
  workplaceCode: string;
  workplaceUnitCode: string;
}

const UNIT_KINDS = ['VILLAGE', 'COMMUNE'] as const;

/**
 * Persons: the household is looked up by its code in the person's own unit; the workplace by its
 * code in the workplace unit given (or the person's unit) and, failing that, the units above it.
 */
export function personImporter(ctx: ImportContext, columns: () => ColumnMap<string>): KindImporter<Field, Pending> {
  const seen = new Map<string, number>();
  const batches = new Batches<Pending>();
  const unchanged = new UnchangedProbe();
  const column = (f: Field) => columns().header[f]!;
  const thisYear = new Date().getUTCFullYear();

  return {
    columns: PERSON_COLUMNS,
    // batches are independent: a natural key appears once in the file; households and workplaces are only read
    concurrency: 2,

    add(row: number, v: RowValues<Field>) {
      const check = rowCheck(ctx, row, v, column);
      const fail = check.fail;
      fail('unitCode', checkCode(v.unitCode));
      fail('code', checkCode(v.code));
      fail('fullName', checkText(v.fullName, 200, true));
      const birthYear = /^\d{4}$/.test(v.birthYear) ? Number(v.birthYear) : NaN;
      if (v.birthYear === '') fail('birthYear', 'Thiếu giá trị bắt buộc');
      else if (!(birthYear >= 1900 && birthYear <= thisYear)) fail('birthYear', `Năm sinh phải là số từ 1900 đến ${thisYear}`);
      const sex = readSex(v.sex);
      if (v.sex === '') fail('sex', 'Thiếu giá trị bắt buộc');
      else if (!sex) fail('sex', 'Giới tính phải là Nam hoặc Nữ (male/female)');
      const group = readOccupationalGroup(v.occupationalGroup);
      if (v.occupationalGroup === '') fail('occupationalGroup', 'Thiếu giá trị bắt buộc');
      else if (!group)
        fail(
          'occupationalGroup',
          'Nhóm nghề không hợp lệ; dùng: Nông dân, Công nhân, Cán bộ, công chức, viên chức, Giáo viên, Học sinh, sinh viên, Khác',
        );
      if (v.householdCode !== '') fail('householdCode', checkCode(v.householdCode));
      if (v.workplaceCode !== '') fail('workplaceCode', checkCode(v.workplaceCode));
      if (v.workplaceUnitCode !== '' && v.workplaceCode === '')
        fail('workplaceCode', 'Có mã đơn vị nơi làm việc nhưng thiếu mã nơi làm việc');
      if (!check.ok) return;
      const first = earlierRow(seen, naturalKey(v.unitCode, v.code), row);
      if (first !== undefined) return fail('code', `Trùng mã công dân trong cùng đơn vị với dòng ${first}`);
      batches.push({
        row,
        unitCode: v.unitCode,
        code: v.code,
        fullName: v.fullName,
        birthYear,
        sex: sex!,
        group: group!,
        householdCode: v.householdCode,
        workplaceCode: v.workplaceCode,
        workplaceUnitCode: v.workplaceUnitCode,
      });
    },

    take: (min: number) => batches.take(min),

    async write(batch: Pending[]) {
      await ctx.resolveUnits(batch.flatMap((p) => (p.workplaceUnitCode ? [p.unitCode, p.workplaceUnitCode] : [p.unitCode])));
      const located: { p: Pending; unitId: string; workplaceUnitId: string }[] = [];
      for (const p of batch) {
        const unit = ctx.unit(p.unitCode, UNIT_KINDS);
        if (typeof unit === 'string') {
          ctx.errors.add(p.row, column('unitCode'), p.unitCode, unit);
          continue;
        }
        let workplaceUnitId = unit.id;
        if (p.workplaceUnitCode) {
          const wu = ctx.unit(p.workplaceUnitCode, null);
          if (typeof wu === 'string') {
            ctx.errors.add(p.row, column('workplaceUnitCode'), p.workplaceUnitCode, wu);
            continue;
          }
          workplaceUnitId = wu.id;
        }
        located.push({ p, unitId: unit.id, workplaceUnitId });
      }
      if (located.length === 0) return;
      const em = ctx.em();
      const households = await idsByNaturalKey(
        em,
        'household',
        located.filter((l) => l.p.householdCode).map((l) => ({ unitId: l.unitId, code: l.p.householdCode })),
      );
      const withWorkplace = located.filter((l) => l.p.workplaceCode);
      const workplaceIds = await resolveOrganizationRefs(
        ctx,
        em,
        withWorkplace.map((l) => ({ unitId: l.workplaceUnitId, code: l.p.workplaceCode })),
      );
      const workplaces = new Map(withWorkplace.map((l, i) => [l, workplaceIds[i]]));

      const lines: string[] = [];
      for (const l of located) {
        const { p } = l;
        let householdId: string | null = null;
        if (p.householdCode) {
          householdId = households.get(naturalKey(l.unitId, p.householdCode)) ?? null;
          if (!householdId) {
            ctx.errors.add(
              p.row,
              column('householdCode'),
              p.householdCode,
              `Không có hộ mã "${p.householdCode}" trong đơn vị "${p.unitCode}"`,
            );
            continue;
          }
        }
        let workplaceId: string | null = null;
        if (p.workplaceCode) {
          workplaceId = workplaces.get(l) ?? null;
          if (!workplaceId) {
            ctx.errors.add(
              p.row,
              column('workplaceCode'),
              p.workplaceCode,
              `Không có tổ chức mã "${p.workplaceCode}" tại đơn vị này hoặc đơn vị cấp trên`,
            );
            continue;
          }
        }
        lines.push(
          copyLine([
            randomUUID(),
            l.unitId,
            p.code,
            p.fullName,
            foldVietnamese(p.fullName),
            p.birthYear,
            p.sex,
            p.group,
            householdId,
            workplaceId,
          ]),
        );
      }
      if (lines.length === 0) return;
      const written = await writeStagedBatch(ctx, {
        temp: {
          name: 'import_person',
          columns: { i: 'uuid', u: 'uuid', c: 'text', n: 'text', f: 'text', y: 'int', s: 'text', g: 'text', h: 'uuid', w: 'uuid' },
        },
        lines,
        skipUnchanged: unchanged.enabled
          ? {
              table: 'person',
              compare: { full_name: 'n', birth_year: 'y', sex: 's', occupational_group: 'g', household_id: 'h', workplace_id: 'w' },
            }
          : undefined,
        upsert: `insert into person as p (id, unit_id, code, full_name, name_folded, birth_year, sex, occupational_group,
            household_id, workplace_id, created_by, updated_by)
          select i, u, c, n, f, y, s, g, h, w, $1, $1 from changed
          on conflict (unit_id, code) do update
            set full_name = excluded.full_name, name_folded = excluded.name_folded, birth_year = excluded.birth_year,
                sex = excluded.sex, occupational_group = excluded.occupational_group, household_id = excluded.household_id,
                workplace_id = excluded.workplace_id, updated_at = now(), updated_by = excluded.updated_by
            where (p.full_name, p.birth_year, p.sex, p.occupational_group, p.household_id, p.workplace_id)
              is distinct from (excluded.full_name, excluded.birth_year, excluded.sex, excluded.occupational_group,
                                excluded.household_id, excluded.workplace_id)
          returning p.id, p.unit_id, p.code, p.birth_year, p.sex, p.occupational_group, p.household_id, p.workplace_id,
            (p.xmax = 0) as inserted`,
        params: [ctx.actor],
        eventData: `jsonb_build_object('id', id, 'unitId', unit_id, 'code', code, 'birthYear', birth_year, 'sex', sex,
          'occupationalGroup', occupational_group, 'householdId', household_id, 'workplaceId', workplace_id)`,
        types: { registered: PERSON_REGISTERED, updated: PERSON_UPDATED },
        domainData: personEventData,
      });
      unchanged.record(lines.length, written);
    },

    async finish() {
      const rest = batches.take(1);
      if (rest) await this.write(rest);
    },
  };
}
