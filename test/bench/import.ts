import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { EventCatalog, foldVietnamese, initORM, type MikroORM } from '@xhht/infra';
import { AdminUnitSchema, AdminUnitVersionSchema } from '@xhht/org/dist/admin-units/admin-unit.entity';
import { AdminUnitChangeSchema, AdminUnitChangeUnitSchema } from '@xhht/org/dist/admin-units/admin-unit-change.entity';
import { migrations } from '@xhht/org/dist/migrations';
import { importParticipants } from '@xhht/org/dist/bulk-import/import';
import { csvField } from '@xhht/org/dist/bulk-import/csv';
import { figure, freshDatabase, runBench, say } from './support';

/**
 * `npm run bench:import`: households per second into PostgreSQL, events included.
 * On the benchmarks' PostgreSQL (see support.ts), loads a province with communes and villages
 * into a fresh database, writes a CSV of households across them and imports it; that `LOADS`
 * times, each into a fresh database, then imports the file again into the last one (nothing may
 * be written the second time). The last line is `households_per_s=<number>`, the loads' median.
 */
const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 200_000);
/** Loads into a fresh database each; the figure is their median, as one load on a shared 2-core machine varies by ±10 %. */
const LOADS = Number(process.env.BENCH_LOADS ?? 3);
const COMMUNES = 40;
const VILLAGES_PER_COMMUNE = 12;

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Quốc', 'Xuân', 'Thu'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hùng',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Phúc',
  'Quang',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Tuấn',
  'Yến',
];

runBench('import', async ({ serverUrl, dir, logger }) => {
  const catalog = new EventCatalog();
  const file = path.join(dir, `households-${HOUSEHOLDS}.csv`);
  const loads: number[] = [];
  for (let load = 1; load <= LOADS; load++) {
    const orm = await initORM({
      databaseUrl: await freshDatabase(serverUrl, 'xhht_bench_org'),
      entities: [AdminUnitSchema, AdminUnitVersionSchema, AdminUnitChangeSchema, AdminUnitChangeUnitSchema],
      migrations,
      poolMax: 4,
      logger,
    });
    try {
      const villages = await createVillages(orm);
      if (load === 1) {
        await writeCsv(file, villages);
        say(`${HOUSEHOLDS} households across ${villages.length} villages in ${COMMUNES} communes → ${file}`);
      }
      const run = () =>
        importParticipants({
          orm,
          catalog,
          kind: 'households',
          file,
          errorsFile: path.join(dir, 'households.errors.csv'),
          actor: 'bench',
          progress: process.stderr,
        });
      const outboxEvents = async () =>
        Number((await orm.em.fork().execute<{ n: string }[]>('select count(*) as n from outbox_event'))[0]!.n);
      const rate = (r: { rows: number; seconds: number }) => Math.round(r.rows / r.seconds);

      const first = await run();
      const events = await outboxEvents();
      console.log(
        `load ${load}: ${first.rows} rows, ${first.inserted} inserted, ${first.rejected} rejected, ${events} events, ${first.seconds.toFixed(2)} s, ${rate(first)} rows/s`,
      );
      if (first.inserted !== HOUSEHOLDS || events !== HOUSEHOLDS) throw new Error('the load did not write every household with its event');
      loads.push(rate(first));
      if (load < LOADS) continue;

      const second = await run();
      const secondWrites = second.inserted + second.updated;
      const eventsAfterSecond = await outboxEvents();
      console.log(
        `re-run: ${second.rows} rows, ${secondWrites} writes, ${eventsAfterSecond - events} new events, ${second.seconds.toFixed(2)} s, ${rate(second)} rows/s`,
      );
      if (secondWrites !== 0 || eventsAfterSecond !== events) throw new Error('the re-run wrote something');
      console.log(`idempotent_rerun_households_per_s=${rate(second)} writes=${secondWrites}`);
    } finally {
      await orm.close();
    }
  }
  console.log(`loads_households_per_s=${loads.join(',')}`);
  figure('households_per_s', [...loads].sort((a, b) => a - b)[Math.floor(loads.length / 2)]!);
});

/** A province with communes and villages (thôn), in force since 2025-07-01, as the hierarchy stores them. */
async function createVillages(orm: MikroORM): Promise<string[]> {
  const units: { id: string; code: string; name: string; kind: string; subtype: string; parent: string | null }[] = [];
  const province = { id: randomUUID(), code: '99', name: 'Tỉnh Thử Nghiệm', kind: 'PROVINCE', subtype: 'PROVINCE', parent: null };
  units.push(province);
  for (let c = 1; c <= COMMUNES; c++) {
    const commune = {
      id: randomUUID(),
      code: `99${String(c).padStart(3, '0')}`,
      name: `Xã ${GIVEN[c % GIVEN.length]} ${c}`,
      kind: 'COMMUNE',
      subtype: 'COMMUNE',
      parent: province.id,
    };
    units.push(commune);
    for (let v = 1; v <= VILLAGES_PER_COMMUNE; v++) {
      units.push({
        id: randomUUID(),
        code: `${commune.code}-T${String(v).padStart(2, '0')}`,
        name: `Thôn ${v}`,
        kind: 'VILLAGE',
        subtype: 'VILLAGE_THON',
        parent: commune.id,
      });
    }
  }
  const em = orm.em.fork();
  await em.transactional(async (tem) => {
    const rows = JSON.stringify(units.map((u) => ({ ...u, folded: foldVietnamese(u.name) })));
    await tem.execute(
      `insert into admin_unit (id, code, valid_from, created_by)
       select id, code, '2025-07-01', 'bench' from jsonb_to_recordset(?::jsonb) as x(id uuid, code text)`,
      [rows],
    );
    await tem.execute(
      `insert into admin_unit_version (unit_id, valid_from, name, name_folded, kind, subtype, parent_id)
       select id, '2025-07-01', name, folded, kind, subtype, parent
       from jsonb_to_recordset(?::jsonb) as x(id uuid, name text, folded text, kind text, subtype text, parent uuid)`,
      [rows],
    );
  });
  return units.filter((u) => u.kind === 'VILLAGE').map((u) => u.code);
}

async function writeCsv(file: string, villages: string[]): Promise<void> {
  const out = createWriteStream(file);
  out.write('\uFEFFMã thôn,Mã hộ,Chủ hộ,Địa chỉ\n');
  let buf = '';
  for (let i = 0; i < HOUSEHOLDS; i++) {
    const village = villages[i % villages.length]!;
    const n = Math.floor(i / villages.length) + 1;
    const name = `${FAMILY[i % FAMILY.length]} ${MIDDLE[(i >> 4) % MIDDLE.length]} ${GIVEN[(i * 7) % GIVEN.length]}`;
    buf += `${village},H${String(n).padStart(5, '0')},${name},${csvField(`Số ${n}, ${village}`)}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
