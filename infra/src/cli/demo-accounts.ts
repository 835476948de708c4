import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Role } from '../auth/roles';
import type { Logger } from '../logger';
import { dataRoot, type StackState } from '../stack/stack';
import { readDemoUnits } from './demo-data';
import { gatewayClient } from './demo-graphql';

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
  {
    username: 'khuyenhoc.dongkinh',
    displayName: 'Cán bộ Hội Khuyến học Phường Đông Kinh (demo)',
    role: 'ASSOCIATION_OFFICER',
    unitKey: 'ls-dongkinh',
    description: 'cán bộ Hội Khuyến học, Phường Đông Kinh',
  },
  {
    username: 'giaoduc.langson',
    displayName: 'Cán bộ Sở Giáo dục và Đào tạo Lạng Sơn (demo)',
    role: 'EDUCATION_OFFICER',
    unitKey: 'ls',
    description: 'cán bộ ngành Giáo dục, tỉnh Lạng Sơn',
  },
  {
    username: 'thidua.langson',
    displayName: 'Cán bộ thi đua – khen thưởng tỉnh Lạng Sơn (demo)',
    role: 'EMULATION_OFFICER',
    unitKey: 'ls',
    description: 'cán bộ thi đua – khen thưởng, tỉnh Lạng Sơn',
  },
  {
    username: 'hoidong1.langson',
    displayName: 'Lý Văn Hòa (demo)',
    role: 'COUNCIL_MEMBER',
    unitKey: 'ls',
    description: 'chủ tịch Hội đồng Thi đua – Khen thưởng tỉnh Lạng Sơn',
  },
  {
    username: 'hoidong2.langson',
    displayName: 'Nông Thị Thanh (demo)',
    role: 'COUNCIL_MEMBER',
    unitKey: 'ls',
    description: 'thành viên Hội đồng Thi đua – Khen thưởng tỉnh Lạng Sơn',
  },
  {
    username: 'hoidong3.langson',
    displayName: 'Triệu Văn Lâm (demo)',
    role: 'COUNCIL_MEMBER',
    unitKey: 'ls',
    description: 'thành viên Hội đồng Thi đua – Khen thưởng tỉnh Lạng Sơn',
  },
];

/**
 * Creates the demo accounts through the gateway once, each with a generated password; usernames,
 * passwords and ids are kept in `.data/<profile>/demo-accounts.json` (git-ignored, owner-only) for
 * the next start. Scope units are read from demo-units.json.
 */
export async function seedDemoAccounts(state: StackState, adminToken: string, logger: Logger): Promise<DemoAccount[]> {
  const root = dataRoot(state.profile);
  const file = path.join(root, 'demo-accounts.json');
  const accounts: DemoAccount[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  const units = readDemoUnits(state.profile);
  const gql = gatewayClient(state.gatewayUrl, adminToken);
  for (const spec of DEMO_ACCOUNTS) {
    if (accounts.some((a) => a.username === spec.username)) continue;
    const unitId = spec.unitKey ? units[spec.unitKey] : undefined;
    if (spec.unitKey && !unitId) {
      logger.warn({ username: spec.username, unit: spec.unitKey }, 'demo account skipped: its unit is not in demo-units.json');
      continue;
    }
    const password = randomBytes(9).toString('base64url');
    try {
      const created = await gql<{ createAccount: { account: { id: string } } }>(
        'mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id } } }',
        { input: { username: spec.username, displayName: spec.displayName, password } },
      );
      const accountId = created.createAccount.account.id;
      await gql('mutation($input: AssignRoleInput!) { assignRole(input: $input) { assignment { id } } }', {
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
