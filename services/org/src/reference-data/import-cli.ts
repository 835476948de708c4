import { parseArgs } from 'node:util';
import { DomainError, EventCatalog, createLogger, initORM, readStackState, runMain } from '@xhht/infra';
import { migrations } from '../migrations';
import { buildReferencePlan, formatReport } from './clean';
import { importReferencePlan } from './import-units';
import { loadReferenceSource } from './source';

const USAGE = `Usage: npm run import:units [-- --dry-run] [--profile dev|test]
Loads the administrative hierarchy before and after the 2025 reform (63 → 34 provinces, districts,
10,034 → 3,321 communes, with the merges of 2025-07-01) into the org database: ORG_DATABASE_URL, or
the running local stack's. Prints what was used, fixed and dropped. Re-running writes nothing new.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { 'dry-run': { type: 'boolean' }, profile: { type: 'string', default: 'dev' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const started = Date.now();
  const plan = buildReferencePlan(loadReferenceSource());
  console.log(formatReport(plan.report));
  if (values['dry-run']) return 0;

  const databaseUrl = process.env.ORG_DATABASE_URL ?? readStackState(values.profile === 'test' ? 'test' : 'dev').databaseUrls.org;
  const logger = createLogger('import-units', process.env.LOG_LEVEL ?? 'warn');
  const orm = await initORM({ databaseUrl, entities: [], migrations, poolMax: 2, logger });
  try {
    const result = await importReferencePlan(orm.em.fork(), new EventCatalog(), plan, 'import:units');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      result.unitsWritten + result.changesWritten === 0
        ? `Danh mục đã có đầy đủ trong cơ sở dữ liệu: không ghi gì (${seconds} s).`
        : `Đã ghi ${result.unitsWritten} đơn vị, ${result.changesWritten} thay đổi, ${result.events} sự kiện (${seconds} s).`,
    );
    return 0;
  } finally {
    await orm.close();
  }
}

runMain(main, (err) =>
  err instanceof DomainError ? err.message : `Nạp danh mục thất bại: ${err instanceof Error ? err.stack : String(err)}`,
);
