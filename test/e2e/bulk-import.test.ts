import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EventCatalog, newEvent, type CloudEvent } from '@xhht/infra';
import { collectTopic, createUnit, eventually, gql, sql, stack, uniqueCode, createProvince } from '../support/stack';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../services/org/dist/bulk-import/cli.js');
const dir = mkdtempSync(path.join(tmpdir(), 'xhht-import-'));

/** Runs the import command as an operator would; resolves with its exit code and output. */
async function importCsv(kind: string, name: string, content: string, extra: string[] = []) {
  const file = path.join(dir, name);
  writeFileSync(file, content, 'utf8');
  const errors = path.join(dir, `${name}.errors.csv`);
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [CLI, '--kind', kind, '--file', file, '--errors', errors, '--actor', 'test-import', ...extra],
      {
        env: { ...process.env, ORG_DATABASE_URL: stack().databaseUrls.org },
      },
    );
    return { code: 0, stdout, stderr, errors };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, errors };
  }
}

/** The error report as rows of [row, column, value, reason]. */
const report = (file: string) =>
  readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r\n/)
    .slice(1)
    .map((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')));

/** Events staged in org's outbox, whether one per row or many in a batch row. */
const outboxCount = async () => Number((await sql<{ n: string }>('org', 'select count(*) as n from outbox_event'))[0]!.n);

describe('bulk import of participants from CSV', () => {
  let villageA: { id: string; code: string };
  let villageB: { id: string; code: string };
  let commune: { id: string; code: string };
  let province: { id: string; code: string };

  beforeAll(async () => {
    ({ province } = await createProvince('Việt Nam (nhập liệu)'));
    commune = await createUnit({
      code: uniqueCode(),
      name: 'Xã Hữu Lũng',
      kind: 'COMMUNE',
      parentId: province.id,
      validFrom: '2025-07-01',
    });
    villageA = await createUnit({
      code: uniqueCode(),
      name: 'Thôn Đồng Tâm',
      kind: 'VILLAGE',
      parentId: commune.id,
      validFrom: '2025-07-01',
    });
    villageB = await createUnit({
      code: uniqueCode(),
      name: 'Thôn Bãi Vàng',
      kind: 'VILLAGE',
      parentId: commune.id,
      validFrom: '2025-07-01',
    });
  });

  it('loads good household rows (Vietnamese headers, BOM, semicolons), reports the bad ones, and re-runs without writing', async () => {
    const csv =
      '\uFEFFMã Thôn;MÃ HỘ;Chủ hộ;Địa chỉ\r\n' +
      `${villageA.code};H001;Nguyễn Văn An;"Số 1; xóm Đồng"\r\n` +
      `${villageA.code};H002;Trần Thị Bình;\r\n` +
      `${villageB.code};H001;Lê Văn Cường;Bãi Vàng\r\n` +
      `KHONGCO;H003;Phạm Thị Dung;\r\n` +
      `${villageA.code};H004;;\r\n` +
      `${villageA.code};H001;Nguyễn Văn An;trùng\r\n`;
    const before = await outboxCount();
    const first = await importCsv('households', 'households-vi.csv', csv);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3 nhận, 3 bị từ chối');

    const rows = await sql<{ code: string; head_name: string; address: string | null; created_by: string }>(
      'org',
      'select code, head_name, address, created_by from household where unit_id = any($1) order by unit_id = $2 desc, code',
      [[villageA.id, villageB.id], villageA.id],
    );
    expect(rows).toEqual([
      { code: 'H001', head_name: 'Nguyễn Văn An', address: 'Số 1; xóm Đồng', created_by: 'test-import' },
      { code: 'H002', head_name: 'Trần Thị Bình', address: null, created_by: 'test-import' },
      { code: 'H001', head_name: 'Lê Văn Cường', address: 'Bãi Vàng', created_by: 'test-import' },
    ]);
    expect(await outboxCount()).toBe(before + 3);
    // the import builds its events in SQL, the batch's in one outbox row: each is what newEvent gives
    const staged = await sql<{
      id: string;
      topic: string;
      message_key: string;
      event_type: string;
      created_at: Date;
      payload: CloudEvent<{ id: string; unitId: string; code: string }>;
      outbox_id: string;
    }>(
      'org',
      'select id, topic, message_key, event_type, created_at, payload, outbox_id from outbox_event order by seq desc, ord desc limit 3',
    );
    const catalog: EventCatalog = new EventCatalog();
    const registered = 'vn.xhht.org.household.registered.v1';
    for (const row of staged) {
      const { payload } = row;
      catalog.validate(payload);
      expect(payload).toEqual({ ...newEvent(registered, payload.data.id, payload.data, row.created_at), id: row.id });
      expect(row).toMatchObject({ topic: 'xhht.org.events', message_key: payload.data.id, event_type: registered });
      expect(Object.keys(payload.data).sort()).toEqual(['code', 'id', 'unitId']);
    }
    expect(new Set(staged.map((r) => r.id)).size).toBe(3);
    expect(new Set(staged.map((r) => r.outbox_id)).size).toBe(1);
    // and on the topic each is a message of its own, keyed by the household, the event id in its header
    const topic = await collectTopic('xhht.org.events');
    await eventually(
      async () => {
        const got = staged.map((row) => topic.messages.find((m) => m.headers?.ce_id?.toString() === row.id));
        if (got.some((m) => !m)) return undefined;
        got.forEach((m, i) => {
          expect(m!.key!.toString()).toBe(staged[i]!.message_key);
          expect(m!.headers!.ce_type!.toString()).toBe(registered);
          expect(JSON.parse(m!.value!.toString())).toEqual(staged[i]!.payload);
        });
        return true;
      },
      30000,
      "the imported households' events on the topic",
    ).finally(() => topic.stop());
    // imported households are found like registered ones: by the head's name without diacritics
    const found = await gql(`query($u: ID!) { households(unitId: $u, search: "nguyen van an") { edges { node { code headName } } } }`, {
      u: villageA.id,
    });
    expect(found.data!.households.edges).toEqual([{ node: { code: 'H001', headName: 'Nguyễn Văn An' } }]);

    const errors = report(first.errors);
    expect(errors.map(([row, column]) => [row, column])).toEqual([
      ['5', 'Mã Thôn'],
      ['6', 'Chủ hộ'],
      ['7', 'MÃ HỘ'],
    ]);
    expect(errors[0]![3]).toContain('Không có đơn vị hành chính mã "KHONGCO"');
    expect(errors[1]![3]).toBe('Thiếu giá trị bắt buộc');
    expect(errors[2]![3]).toContain('dòng 2');

    // the same file again: nothing written, no event
    const again = await importCsv('households', 'households-vi.csv', csv);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('thêm mới 0, cập nhật 0, không đổi 3');
    expect(await outboxCount()).toBe(before + 3);
    expect(await sql('org', 'select 1 from household where unit_id = any($1)', [[villageA.id, villageB.id]])).toHaveLength(3);
  });

  it('updates a changed row, emits household.updated without the name, and the events reach Kafka', async () => {
    const topic = await collectTopic('xhht.org.events');
    try {
      const csv = `village_code,household_code,head_name,address\n${villageA.code},H010,Hoàng Văn Em,Thôn Đồng Tâm\n`;
      expect((await importCsv('households', 'households-en.csv', csv)).code).toBe(0);
      const [household] = await sql<{ id: string }>('org', 'select id from household where unit_id = $1 and code = $2', [
        villageA.id,
        'H010',
      ]);
      const changed = await importCsv('households', 'households-en.csv', csv.replace('Hoàng Văn Em', 'Hoàng Văn Ểm'));
      expect(changed.stdout).toContain('thêm mới 0, cập nhật 1, không đổi 0');
      const [row] = await sql<{ head_name: string; updated_by: string }>(
        'org',
        'select head_name, updated_by from household where id = $1',
        [household!.id],
      );
      expect(row).toEqual({ head_name: 'Hoàng Văn Ểm', updated_by: 'test-import' });

      const types = await eventually(
        async () => {
          const mine = topic.messages.filter((m) => m.key?.toString() === household!.id);
          return mine.length >= 2
            ? mine.map((m) => JSON.parse(m.value!.toString()) as { type: string; data: Record<string, unknown> })
            : undefined;
        },
        30000,
        'registered and updated events on xhht.org.events',
      );
      expect(types.map((e) => e.type)).toEqual(['vn.xhht.org.household.registered.v1', 'vn.xhht.org.household.updated.v1']);
      expect(types[1]!.data).toEqual({ id: household!.id, unitId: villageA.id, code: 'H010' });
      expect(JSON.stringify(types)).not.toContain('Hoàng');
    } finally {
      await topic.stop();
    }
  });

  it('loads persons with English headers and enum values, linking households and a workplace above them', async () => {
    const orgs =
      'Mã đơn vị,Mã tổ chức,Tên tổ chức,Loại hình,Mã tổ chức cấp trên\n' +
      `${commune.code},TRUONG-TH,Trường Tiểu học Hữu Lũng,Trường học,UBND\n` +
      `${commune.code},UBND,Ủy ban nhân dân xã Hữu Lũng,Cơ quan nhà nước,\n` +
      `${commune.code},X,Tổ chức lạ,Không rõ,\n`;
    const orgRun = await importCsv('organizations', 'orgs.csv', orgs);
    expect(orgRun.stdout).toContain('2 nhận, 1 bị từ chối');
    const [school] = await sql<{ id: string; parent_code: string }>(
      'org',
      `select o.id, p.code as parent_code from organization o join organization p on p.id = o.parent_id where o.unit_id = $1 and o.code = 'TRUONG-TH'`,
      [commune.id],
    );
    expect(school!.parent_code).toBe('UBND');

    const persons =
      'unit_code,person_code,full_name,birth_year,sex,occupational_group,household_code,workplace_code\n' +
      `${villageA.code},P1,Nguyễn Thị Hoa,1985,female,TEACHER,H001,TRUONG-TH\n` +
      `${villageA.code},P2,Nguyễn Văn Nam,1983,Nam,Nông dân,H001,\n` +
      `${villageA.code},P3,Trần Văn Sai,1800,nam,Khác,H999,\n`;
    const before = await outboxCount();
    const personRun = await importCsv('persons', 'persons.csv', persons);
    expect(personRun.code).toBe(0);
    expect(personRun.stdout).toContain('2 nhận, 1 bị từ chối');
    const loaded = await sql<{
      code: string;
      sex: string;
      occupational_group: string;
      household_code: string;
      workplace_id: string | null;
    }>(
      'org',
      `select p.code, p.sex, p.occupational_group, h.code as household_code, p.workplace_id
       from person p join household h on h.id = p.household_id where p.unit_id = $1 order by p.code`,
      [villageA.id],
    );
    expect(loaded).toEqual([
      { code: 'P1', sex: 'FEMALE', occupational_group: 'TEACHER', household_code: 'H001', workplace_id: school!.id },
      { code: 'P2', sex: 'MALE', occupational_group: 'FARMER', household_code: 'H001', workplace_id: null },
    ]);
    expect(report(personRun.errors).map(([row, column]) => [row, column])).toEqual([['4', 'birth_year']]);
    const events = await sql<{ payload: { type: string; data: Record<string, unknown> } }>(
      'org',
      `select payload from outbox_event where event_type = 'vn.xhht.org.person.registered.v1' order by seq desc, ord desc limit 2`,
    );
    expect(await outboxCount()).toBe(before + 2);
    expect(JSON.stringify(events)).not.toContain('Nguyễn');
    expect(events.map((e) => e.payload.data.occupationalGroup).sort()).toEqual(['FARMER', 'TEACHER']);
  });

  it('loads a clan from one row per member household, across villages, idempotently', async () => {
    const clans =
      'Mã xã,Mã dòng họ,Tên dòng họ,Chi,Mã thôn,Mã hộ\n' +
      `${commune.code},DH-NGUYEN,Dòng họ Nguyễn,Chi trưởng,${villageA.code},H001\n` +
      `${commune.code},DH-NGUYEN,Dòng họ Nguyễn,Chi thứ,${villageB.code},H001\n` +
      `${commune.code},DH-NGUYEN,Dòng họ Nguyễn,Chi thứ,${villageB.code},H404\n`;
    const first = await importCsv('clans', 'clans.csv', clans);
    expect(first.stdout).toContain('2 nhận, 1 bị từ chối');
    expect(report(first.errors)[0]!.slice(0, 2)).toEqual(['4', 'Mã hộ']);
    const [event] = await sql<{ payload: { data: { branches: unknown[]; households: unknown[] } } }>(
      'org',
      `select payload from outbox_event where event_type = 'vn.xhht.org.clan.registered.v1' order by seq desc, ord desc limit 1`,
    );
    expect(event!.payload.data.branches).toHaveLength(2);
    expect(event!.payload.data.households).toHaveLength(2);
    const before = await outboxCount();
    const again = await importCsv('clans', 'clans.csv', clans);
    expect(again.stdout).toContain('thêm mới 0, cập nhật 0, không đổi 1');
    expect(await outboxCount()).toBe(before);
  });

  it('refuses a row whose unit is of the wrong level, naming both levels', async () => {
    const res = await importCsv('households', 'wrong-level.csv', `Mã thôn,Mã hộ,Chủ hộ\n${province.code},H900,Đinh Văn Giáp\n`);
    expect(res.code).toBe(0);
    const [error] = report(res.errors);
    expect(error!.slice(0, 2)).toEqual(['2', 'Mã thôn']);
    expect(error![3]).toContain(
      'là cấp Tỉnh, thành phố trực thuộc Trung ương; cần cấp Thôn, bản, ấp, tổ dân phố, khu phố hoặc Xã, phường, đặc khu',
    );
    expect(await sql('org', 'select 1 from household where code = $1', ['H900'])).toHaveLength(0);
  });

  it('stops with a non-zero exit when a required column is missing, writing nothing', async () => {
    const before = await outboxCount();
    const res = await importCsv('households', 'no-head.csv', `Mã thôn,Mã hộ\n${villageA.code},H777\n`);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('Thiếu cột bắt buộc: "Chủ hộ"');
    expect(await outboxCount()).toBe(before);
  });
});
