import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { EventCatalog, createLogger, initORM, readStackState, runMain } from '@xhht/infra';
import { AdminUnitSchema, AdminUnitVersionSchema } from '../admin-units/admin-unit.entity';
import { AdminUnitChangeSchema, AdminUnitChangeUnitSchema } from '../admin-units/admin-unit-change.entity';
import { migrations } from '../migrations';
import { HeaderError } from './columns';
import { importParticipants, KIND_LABELS } from './import';
import { IMPORT_KINDS, type ImportKind } from './kind';

const USAGE = `Usage: npm run import:participants -- --kind households|persons|clans|organizations --file FILE.csv
         [--errors REPORT.csv] [--actor NAME] [--as-of YYYY-MM-DD] [--profile dev|test]
Loads participants into the org database: ORG_DATABASE_URL, or the running local stack's.
Rejected rows go to the report (default: FILE.errors.csv); the others load. Re-running is idempotent.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string' },
      file: { type: 'string' },
      errors: { type: 'string' },
      actor: { type: 'string' },
      'as-of': { type: 'string' },
      profile: { type: 'string', default: 'dev' },
      'batch-size': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const kind = values.kind as ImportKind | undefined;
  if (!kind || !IMPORT_KINDS.includes(kind) || !values.file) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(values.file)) {
    console.error(`Không tìm thấy tệp ${values.file}`);
    return 2;
  }
  if (values['as-of'] && !/^\d{4}-\d{2}-\d{2}$/.test(values['as-of'])) {
    console.error('--as-of phải có dạng YYYY-MM-DD');
    return 2;
  }
  const databaseUrl = process.env.ORG_DATABASE_URL ?? readStackState(values.profile === 'test' ? 'test' : 'dev').databaseUrls.org;
  const logger = createLogger('import', process.env.LOG_LEVEL ?? 'warn');
  const orm = await initORM({
    databaseUrl,
    entities: [AdminUnitSchema, AdminUnitVersionSchema, AdminUnitChangeSchema, AdminUnitChangeUnitSchema],
    migrations,
    poolMax: 4,
    logger,
  });
  try {
    const result = await importParticipants({
      orm,
      catalog: new EventCatalog(),
      kind,
      file: values.file,
      errorsFile: values.errors ?? `${values.file.replace(/\.csv$/i, '')}.errors.csv`,
      actor: values.actor ?? `import:${userInfo().username}`,
      asOf: values['as-of'],
      batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
      progress: process.stderr,
    });
    const rate = Math.round(result.rows / Math.max(result.seconds, 0.001));
    const lines = [
      `${KIND_LABELS[kind]}: ${result.rows} dòng đọc, ${result.accepted} nhận, ${result.rejected} bị từ chối`,
      `  thêm mới ${result.inserted}, cập nhật ${result.updated}, không đổi ${result.unchanged}`,
      `  ${result.seconds.toFixed(2)} s, ${rate} dòng/s`,
    ];
    if (result.ignoredColumns.length > 0) lines.push(`  cột bỏ qua: ${result.ignoredColumns.join(', ')}`);
    if (result.errorsFile) lines.push(`  báo cáo lỗi: ${result.errorsFile}`);
    console.log(lines.join('\n'));
    return 0;
  } finally {
    await orm.close();
  }
}

runMain(main, (err) =>
  err instanceof HeaderError ? err.message : `Nhập dữ liệu thất bại: ${err instanceof Error ? err.stack : String(err)}`,
);
