import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { Logger } from '../logger';
import { dataRoot, repoRoot, type StackState } from '../stack/stack';
import { gatewayClient } from './demo-graphql';

/** Units the demo accounts and examples refer to, by official code (post-2025 structure). */
const DEMO_UNITS: Record<string, string> = {
  vn: 'VN',
  ls: '20',
  'ls-dongkinh': '05977',
  'ls-huulung': '06385',
  tn: '80',
  'tn-tanninh': '25459',
};

/**
 * Loads the reference hierarchy (`npm run import:units`: both structures of the 2025 reform; a
 * no-op once loaded) into the stack's org database, then records the demo units' ids by code in
 * the data folder for the demo accounts. The import's report goes to logs/import-units.log.
 */
export async function seedDemoData(state: StackState, token: string, logger: Logger): Promise<void> {
  const root = dataRoot(state.profile);
  const log = path.join(root, 'logs', 'import-units.log');
  mkdirSync(path.dirname(log), { recursive: true });
  const out = createWriteStream(log);
  const child = spawn(process.execPath, [path.join(repoRoot, 'services/org/dist/reference-data/import-cli.js')], {
    env: { ...process.env, ORG_DATABASE_URL: state.databaseUrls.org },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the reference hierarchy could not be loaded; see ${log}`);
  logger.info({ report: log }, 'reference hierarchy in place');

  const gql = gatewayClient(state.gatewayUrl, token);
  const ids: Record<string, string> = {};
  for (const [key, unitCode] of Object.entries(DEMO_UNITS)) {
    const { adminUnit } = await gql<{ adminUnit: { id: string } | null }>('query($code: String!) { adminUnit(code: $code) { id } }', {
      code: unitCode,
    });
    if (!adminUnit) throw new Error(`demo unit ${unitCode} not found`);
    ids[key] = adminUnit.id;
  }
  writeFileSync(path.join(root, 'demo-units.json'), JSON.stringify(ids, null, 2));
}

/** The demo units' ids by key (`ls-dongkinh`, …) as the last start recorded them; empty before the first. */
export function readDemoUnits(profile: StackState['profile']): Record<string, string> {
  const file = path.join(dataRoot(profile), 'demo-units.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}
