import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Role } from '../auth/roles';
import type { Logger } from '../logger';
import { dataRoot, type StackState } from '../stack/stack';

export interface DemoAccount {
  username: string;
  password: string;
  displayName: string;
  accountId: string;
  /** What the account may do, for the banner. */
  description: string;
}

interface DemoAccountSpec {
  username: string;
  displayName: string;
  role: Role;
  /** Key of the scope unit in demo-units.json. */
  unitKey?: string;
  description: string;
}

const DEMO_ACCOUNTS: DemoAccountSpec[] = [
  { username: 'quantri', displayName: 'Quản trị viên (demo)', role: 'SYSTEM_ADMIN', description: 'quản trị hệ thống' },
  {
    username: 'canbo.dongkinh',
    displayName: 'Cán bộ Phường Đông Kinh (demo)',
    role: 'COMMUNE_OFFICER',
    unitKey: 'ls-dongkinh',
    description: 'cán bộ cấp xã, Phường Đông Kinh',
  },
];

async function call<T>(state: StackState, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(state.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(body.errors?.map((e) => e.message).join('; ') ?? `status ${res.status}`);
  return body.data;
}

/**
 * Creates the demo accounts through the gateway once, each with a generated password; usernames,
 * passwords and ids are kept in `.data/<profile>/demo-accounts.json` (git-ignored, owner-only) for
 * the next start. Scope units are read from demo-units.json.
 */
export async function seedDemoAccounts(state: StackState, adminToken: string, logger: Logger): Promise<DemoAccount[]> {
  const root = dataRoot(state.profile);
  const file = path.join(root, 'demo-accounts.json');
  const accounts: DemoAccount[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  const unitsFile = path.join(root, 'demo-units.json');
  const units: Record<string, string> = existsSync(unitsFile) ? JSON.parse(readFileSync(unitsFile, 'utf8')) : {};
  for (const spec of DEMO_ACCOUNTS) {
    if (accounts.some((a) => a.username === spec.username)) continue;
    const unitId = spec.unitKey ? units[spec.unitKey] : undefined;
    if (spec.unitKey && !unitId) {
      logger.warn({ username: spec.username, unit: spec.unitKey }, 'demo account skipped: its unit is not in demo-units.json');
      continue;
    }
    const password = randomBytes(9).toString('base64url');
    try {
      const created = await call<{ createAccount: { account: { id: string } } }>(
        state,
        adminToken,
        'mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }',
        { input: { username: spec.username, displayName: spec.displayName, password } },
      );
      const accountId = created.createAccount.account.id;
      await call(state, adminToken, 'mutation($input: AssignRoleInput!) { assignRole(input: $input) { assignment { id } } }', {
        input: { accountId, role: spec.role, unitId },
      });
      accounts.push({ username: spec.username, password, displayName: spec.displayName, accountId, description: spec.description });
      writeFileSync(file, JSON.stringify(accounts, null, 2), { mode: 0o600 });
    } catch (err) {
      logger.warn({ username: spec.username, err: (err as Error).message }, 'demo account not created');
    }
  }
  return accounts;
}
