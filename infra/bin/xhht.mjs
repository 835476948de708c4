#!/usr/bin/env node
// Entry point of every root npm script. Installs dependencies (pnpm 10) and builds (tsc -b) when
// needed, so `npm start` and `npm test` work on a fresh clone. Its own output goes to stderr, so
// `npm run -s token` prints the token alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PNPM = 'pnpm@10.34.8';
const say = (m) => process.stderr.write(`[xhht] ${m}\n`);

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', opts.stdout ?? 2, 2], env: { ...process.env, ...opts.env } });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

function ensureInstalled() {
  const stamp = path.join(root, 'node_modules', '.xhht-install-stamp');
  const manifests = [
    'pnpm-lock.yaml',
    'package.json',
    'pnpm-workspace.yaml',
    ...['infra', 'gateway', 'schema', 'test', 'services/org', 'services/recognition', 'services/reporting', 'services/awards'].map(
      (p) => `${p}/package.json`,
    ),
  ];
  const hash = createHash('sha256');
  for (const f of manifests) if (existsSync(path.join(root, f))) hash.update(readFileSync(path.join(root, f)));
  const digest = hash.digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  say('installing dependencies (pnpm)…');
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  if (run('npx', ['-y', PNPM, 'install', ...frozen, '--reporter=append-only']) !== 0) {
    say('dependency installation failed');
    process.exit(1);
  }
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, digest);
}

function ensureBuilt() {
  if (run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-b']) !== 0) {
    say('TypeScript build failed');
    process.exit(1);
  }
}

// a package's own CLI, run with this Node
const bin = (relativePath, args) => run(process.execPath, [path.join(root, relativePath), ...args], { stdout: 'inherit' });
const [command = 'start', ...args] = process.argv.slice(2);

/** Commands that run one compiled script of the project with the caller's arguments. */
const SCRIPTS = {
  start: 'infra/dist/cli/start.js',
  token: 'infra/dist/cli/token.js',
  compose: 'schema/dist/compose.js',
  kafka: 'infra/dist/cli/kafka.js',
  'import:participants': 'services/org/dist/bulk-import/cli.js',
  'import:units': 'services/org/dist/reference-data/import-cli.js',
  'bench:import': 'test/bench/dist/import.js',
  'bench:consume': 'test/bench/dist/consume.js',
  'bench:decide': 'test/bench/dist/decide.js',
  'bench:progress': 'test/bench/dist/progress.js',
  'bench:awards': 'test/bench/dist/awards.js',
};

// Ctrl-C reaches the child too (same process group); it stops what it started, and we wait for it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

ensureInstalled();
ensureBuilt();

let code = 0;
if (command in SCRIPTS) code = bin(SCRIPTS[command], args);
else if (command === 'lint') {
  // tests are type-checked here (the packages' builds leave them out)
  code = bin('node_modules/typescript/bin/tsc', ['-p', 'test']) || bin('node_modules/eslint/bin/eslint.js', ['.']);
} else if (command === 'test') {
  code = bin(SCRIPTS.compose, ['--check']) || bin('node_modules/jest/bin/jest.js', ['--runInBand', ...args]);
} else if (command !== 'build') {
  say(`unknown command ${command}`);
  code = 2;
}
process.exit(code);
