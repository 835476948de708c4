import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataRoot } from '@xhht/infra';
import {
  createUnit,
  eventually,
  gatewayCredential,
  gql,
  sql,
  stack,
  tokenFor,
  uniqueCode,
  type GqlResponse,
  createProvince,
} from '../support/stack';

const repoRoot = path.resolve(__dirname, '../..');
const tokenUrl = () => stack().gatewayUrl.replace(/\/graphql$/, '/auth/token');
const REFUSED = 'Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa';

/** Every GraphQL answer of this file, to check afterwards that no password or hash ever left the service. */
const answers: unknown[] = [];
const call = async <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token?: string | null) => {
  const res = await gql<T>(query, variables, { token });
  answers.push(res);
  return res;
};

async function signIn(username: string, password: string): Promise<{ status: number; body: any }> {
  const res = await fetch(tokenUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  answers.push(body);
  return { status: res.status, body };
}

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

const ACCOUNT_FIELDS = `id username displayName active roles { id role roleName unit { id name kind } organizationId grantedBy revokedAt }`;
const CREATE_ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { ${ACCOUNT_FIELDS} } } }`;
const ASSIGN_ROLE = `mutation($input: AssignRoleInput!) { assignRole(input: $input) { assignment { id role roleName unit { id } organizationId grantedAt grantedBy } account { ${ACCOUNT_FIELDS} } } }`;
const REVOKE_ROLE = `mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { assignment { id revokedAt revokedBy } account { ${ACCOUNT_FIELDS} } } }`;
const SET_ACTIVE = `mutation($input: SetAccountActiveInput!) { setAccountActive(input: $input) { account { id active } } }`;
const ME = `{ me { subject name roles { role roleName unit { id name kind } organizationId } account { id username roles { role unit { id } } } } }`;

let seq = 0;
const newUsername = () => `tk.${uniqueCode().toLowerCase()}${seq++}`;
const PASSWORD = 'mat-khau-Dong-Kinh-2025';

async function createAccount(username = newUsername(), password = PASSWORD) {
  const res = await call<{ createAccount: { account: { id: string; username: string } } }>(CREATE_ACCOUNT, {
    input: { username, displayName: 'Nguyễn Thị Lan', password },
  });
  expect(res.errors).toBeUndefined();
  return res.data!.createAccount.account;
}

const counts = async () =>
  (
    await sql<{ accounts: string; assignments: string }>(
      'org',
      'select (select count(*) from account) as accounts, (select count(*) from role_assignment) as assignments',
    )
  )[0];

let province: { id: string };
let commune: { id: string; name: string };

beforeAll(async () => {
  ({ province } = await createProvince('Việt Nam (tài khoản)'));
  commune = await createUnit({
    code: uniqueCode(),
    name: 'Phường Đông Kinh',
    kind: 'COMMUNE',
    parentId: province.id,
    validFrom: '2025-07-01',
  });
});

describe('accounts, role assignments and sign-in, through the gateway', () => {
  it('an administrator creates a commune officer who signs in and sees exactly that scope', async () => {
    const account = await createAccount();
    expect(account).toMatchObject({ username: account.username, displayName: 'Nguyễn Thị Lan', active: true, roles: [] });

    const assigned = await call(ASSIGN_ROLE, { input: { accountId: account.id, role: 'COMMUNE_OFFICER', unitId: commune.id } });
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data!.assignRole.assignment).toMatchObject({
      role: 'COMMUNE_OFFICER',
      roleName: 'Cán bộ cấp xã',
      unit: { id: commune.id },
      organizationId: null,
      grantedBy: 'test-admin',
    });
    expect(assigned.data!.assignRole.account.roles).toHaveLength(1);

    const before = Date.now();
    const signedIn = await signIn(account.username.toUpperCase(), PASSWORD);
    expect(signedIn.status).toBe(200);
    const { token, expiresAt } = signedIn.body;
    const c = claims(token);
    expect(c).toMatchObject({ sub: account.id, name: 'Nguyễn Thị Lan', iss: 'xhht', aud: 'xhht-graph' });
    expect(c.roles).toEqual([{ role: 'COMMUNE_OFFICER', unitId: commune.id }]);
    // short-lived: an hour by default, and expiresAt says when
    expect(new Date(expiresAt).getTime()).toBe(c.exp * 1000);
    expect(c.exp * 1000 - before).toBeGreaterThan(3590_000);
    expect(c.exp * 1000 - before).toBeLessThanOrEqual(3602_000);

    const me = await call(ME, {}, token);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toEqual({
      subject: account.id,
      name: 'Nguyễn Thị Lan',
      roles: [
        {
          role: 'COMMUNE_OFFICER',
          roleName: 'Cán bộ cấp xã',
          unit: { id: commune.id, name: 'Phường Đông Kinh', kind: 'COMMUNE' },
          organizationId: null,
        },
      ],
      account: { id: account.id, username: account.username, roles: [{ role: 'COMMUNE_OFFICER', unit: { id: commune.id } }] },
    });
    // the account may read itself, not others
    expect((await call(`query($id: ID!) { account(id: $id) { id } }`, { id: account.id }, token)).data!.account).toEqual({
      id: account.id,
    });
  });

  it('a citizen account acts for its registered person: the assignment names the person and so does the token', async () => {
    const village = await createUnit({
      code: uniqueCode(),
      name: 'Tổ dân phố 3',
      kind: 'VILLAGE',
      parentId: commune.id,
      validFrom: '2025-07-01',
    });
    const registered = await call(`mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { person { id } } }`, {
      input: {
        unitId: village.id,
        code: uniqueCode(),
        fullName: 'Đinh Thị Hoa',
        birthYear: 1990,
        sex: 'FEMALE',
        occupationalGroup: 'TEACHER',
      },
    });
    expect(registered.errors).toBeUndefined();
    const personId = registered.data!.registerPerson.person.id as string;
    const account = await createAccount();

    const before = await counts();
    const refusals: [Record<string, unknown>, string, string[]][] = [
      [{ accountId: account.id, role: 'CITIZEN' }, 'PERSON_REQUIRED', ['input', 'personId']],
      [
        { accountId: account.id, role: 'CITIZEN', personId: '00000000-0000-4000-8000-000000000004' },
        'PERSON_NOT_FOUND',
        ['input', 'personId'],
      ],
      [{ accountId: account.id, role: 'CITIZEN', personId, unitId: commune.id }, 'UNIT_SCOPE_NOT_ALLOWED', ['input', 'unitId']],
      [{ accountId: account.id, role: 'COMMUNE_OFFICER', unitId: commune.id, personId }, 'PERSON_SCOPE_NOT_ALLOWED', ['input', 'personId']],
    ];
    for (const [input, messageKey, field] of refusals) {
      const res = await call(ASSIGN_ROLE, { input });
      expect({ input, error: res.errors?.[0]?.extensions }).toEqual({
        input,
        error: expect.objectContaining({ code: 'BAD_USER_INPUT', messageKey, field }),
      });
    }
    expect(await counts()).toEqual(before);

    const assigned = await call(
      `mutation($input: AssignRoleInput!) { assignRole(input: $input) { assignment { role roleName personId unit { id } organizationId } } }`,
      { input: { accountId: account.id, role: 'CITIZEN', personId } },
    );
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data!.assignRole.assignment).toEqual({
      role: 'CITIZEN',
      roleName: 'Công dân',
      personId,
      unit: null,
      organizationId: null,
    });
    const again = await call(ASSIGN_ROLE, { input: { accountId: account.id, role: 'CITIZEN', personId } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'ROLE_ALREADY_ASSIGNED' });

    const signedIn = await signIn(account.username, PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(claims(signedIn.body.token).roles).toEqual([{ role: 'CITIZEN', personId }]);
    const me = await call(`{ me { subject roles { role personId unit { id } } } }`, {}, signedIn.body.token);
    expect(me.data!.me).toEqual({ subject: account.id, roles: [{ role: 'CITIZEN', personId, unit: null }] });

    // the token command carries the person too, for an account and for a role given on the command line
    const tokenCli = (args: string[]) =>
      spawnSync(process.execPath, [path.join(repoRoot, 'infra/dist/cli/token.js'), '--profile', 'test', ...args], {
        env: { ...process.env, JWT_SECRET: stack().jwtSecret },
        encoding: 'utf8',
      });
    const forAccount = tokenCli(['--account', account.username]);
    expect(forAccount.status).toBe(0);
    expect(claims(forAccount.stdout.trim()).roles).toEqual([{ role: 'CITIZEN', personId }]);
    const forRole = tokenCli(['--role', 'CITIZEN', '--person', personId, '--sub', 'cli-citizen']);
    expect(forRole.status).toBe(0);
    expect(claims(forRole.stdout.trim())).toMatchObject({ sub: 'cli-citizen', roles: [{ role: 'CITIZEN', personId }] });
  });

  it('me describes a token that was not issued by signing in, from its claims alone', async () => {
    const token = await tokenFor([{ role: 'EDUCATION_OFFICER', unitId: province.id }], 'cli-someone');
    const me = await call(ME, {}, token);
    expect(me.data!.me).toEqual({
      subject: 'cli-someone',
      name: null,
      roles: [
        {
          role: 'EDUCATION_OFFICER',
          roleName: 'Cán bộ ngành Giáo dục',
          unit: { id: province.id, name: 'Tỉnh Lạng Sơn', kind: 'PROVINCE' },
          organizationId: null,
        },
      ],
      account: null,
    });
  });

  it('only system administrators manage accounts: an officer is refused and nothing is written', async () => {
    const target = await createAccount();
    const officer = await createAccount();
    await call(ASSIGN_ROLE, { input: { accountId: officer.id, role: 'COMMUNE_OFFICER', unitId: commune.id } });
    const officerToken = (await signIn(officer.username, PASSWORD)).body.token as string;
    const scopedToken = await tokenFor([{ role: 'STEERING_COMMITTEE', unitId: province.id }]);
    const before = await counts();
    for (const token of [officerToken, scopedToken]) {
      const attempts: GqlResponse[] = [
        await call(CREATE_ACCOUNT, { input: { username: newUsername(), displayName: 'Kẻ lạ', password: PASSWORD } }, token),
        await call(ASSIGN_ROLE, { input: { accountId: target.id, role: 'COMMUNE_OFFICER', unitId: commune.id } }, token),
        await call(ASSIGN_ROLE, { input: { accountId: officer.id, role: 'SYSTEM_ADMIN' } }, token),
        await call(SET_ACTIVE, { input: { accountId: target.id, active: false } }, token),
        await call(`{ accounts { totalCount } }`, {}, token),
        await call(`query($id: ID!) { account(id: $id) { id } }`, { id: target.id }, token),
      ];
      for (const res of attempts) expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', messageKey: 'ADMIN_ONLY' });
    }
    const assignment = (await sql<{ id: string }>('org', 'select id from role_assignment where account_id = $1', [officer.id]))[0]!;
    const revoke = await call(REVOKE_ROLE, { input: { assignmentId: assignment.id } }, officerToken);
    expect(revoke.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect(await sql('org', 'select 1 from role_assignment where id = $1 and revoked_at is null', [assignment.id])).toHaveLength(1);
    expect(await sql('org', 'select 1 from account where id = $1 and active', [target.id])).toHaveLength(1);
  });

  it('unknown user, wrong password and disabled account get the same 401', async () => {
    const account = await createAccount();
    const wrong = await signIn(account.username, 'not-the-password');
    const unknown = await signIn(`khong.co.${newUsername()}`, PASSWORD);
    expect(await call(SET_ACTIVE, { input: { accountId: account.id, active: false } })).toMatchObject({
      data: { setAccountActive: { account: { id: account.id, active: false } } },
    });
    const disabled = await signIn(account.username, PASSWORD);
    for (const res of [wrong, unknown, disabled]) {
      expect(res).toEqual({ status: 401, body: { errors: [{ message: REFUSED, extensions: { code: 'UNAUTHENTICATED' } }] } });
    }
    await call(SET_ACTIVE, { input: { accountId: account.id, active: true } });
    expect((await signIn(account.username, PASSWORD)).status).toBe(200);

    // a malformed request is a 400, not a refusal that could be mistaken for one
    const res = await fetch(tokenUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"x"}' });
    expect(res.status).toBe(400);
    expect((await fetch(tokenUrl())).status).toBe(405);
  });

  it('a revoked role is absent from the next token; the record keeps who revoked it', async () => {
    const account = await createAccount();
    const officer = await call(ASSIGN_ROLE, { input: { accountId: account.id, role: 'COMMUNE_OFFICER', unitId: commune.id } });
    await call(ASSIGN_ROLE, { input: { accountId: account.id, role: 'EDUCATION_OFFICER', unitId: province.id } });
    expect(claims((await signIn(account.username, PASSWORD)).body.token).roles).toEqual([
      { role: 'COMMUNE_OFFICER', unitId: commune.id },
      { role: 'EDUCATION_OFFICER', unitId: province.id },
    ]);

    const assignmentId = officer.data!.assignRole.assignment.id;
    const revoked = await call(REVOKE_ROLE, { input: { assignmentId } });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revokeRole.assignment).toMatchObject({ id: assignmentId, revokedBy: 'test-admin' });
    expect(revoked.data!.revokeRole.account.roles.map((r: { role: string }) => r.role)).toEqual(['EDUCATION_OFFICER']);
    expect(claims((await signIn(account.username, PASSWORD)).body.token).roles).toEqual([
      { role: 'EDUCATION_OFFICER', unitId: province.id },
    ]);

    const again = await call(REVOKE_ROLE, { input: { assignmentId } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageKey: 'ASSIGNMENT_ALREADY_REVOKED' });
    // revoked, the same grant can be given again
    expect(
      (await call(ASSIGN_ROLE, { input: { accountId: account.id, role: 'COMMUNE_OFFICER', unitId: commune.id } })).errors,
    ).toBeUndefined();
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const existing = await createAccount();
    await call(ASSIGN_ROLE, { input: { accountId: existing.id, role: 'COMMUNE_OFFICER', unitId: commune.id } });
    const before = await counts();
    const cases: [Record<string, unknown>, string, string, string[]][] = [
      [{ accountId: existing.id, role: 'EMPEROR' }, 'BAD_USER_INPUT', 'INVALID_INPUT', ['input', 'role']],
      [
        { accountId: existing.id, role: 'ORGANIZATION_OFFICER', unitId: commune.id },
        'BAD_USER_INPUT',
        'UNIT_SCOPE_NOT_ALLOWED',
        ['input', 'unitId'],
      ],
      [{ accountId: existing.id, role: 'ORGANIZATION_OFFICER' }, 'BAD_USER_INPUT', 'ORGANIZATION_REQUIRED', ['input', 'organizationId']],
      [
        { accountId: existing.id, role: 'ORGANIZATION_OFFICER', organizationId: '00000000-0000-4000-8000-000000000001' },
        'BAD_USER_INPUT',
        'ORGANIZATION_NOT_FOUND',
        ['input', 'organizationId'],
      ],
      [
        { accountId: existing.id, role: 'COMMUNE_OFFICER', unitId: province.id },
        'BAD_USER_INPUT',
        'UNIT_KIND_NOT_ALLOWED',
        ['input', 'unitId'],
      ],
      [{ accountId: existing.id, role: 'COMMUNE_OFFICER' }, 'BAD_USER_INPUT', 'UNIT_REQUIRED', ['input', 'unitId']],
      [
        { accountId: existing.id, role: 'COMMUNE_OFFICER', unitId: '00000000-0000-4000-8000-000000000002' },
        'BAD_USER_INPUT',
        'UNIT_NOT_FOUND',
        ['input', 'unitId'],
      ],
      [
        { accountId: existing.id, role: 'SYSTEM_ADMIN', unitId: commune.id },
        'BAD_USER_INPUT',
        'UNIT_SCOPE_NOT_ALLOWED',
        ['input', 'unitId'],
      ],
      [{ accountId: existing.id, role: 'COMMUNE_OFFICER', unitId: commune.id }, 'CONFLICT', 'ROLE_ALREADY_ASSIGNED', ['input', 'role']],
      [
        { accountId: '00000000-0000-4000-8000-000000000003', role: 'SYSTEM_ADMIN' },
        'NOT_FOUND',
        'ACCOUNT_NOT_FOUND',
        ['input', 'accountId'],
      ],
    ];
    for (const [input, code, messageKey, field] of cases) {
      const res = await call(ASSIGN_ROLE, { input });
      expect({ input, error: res.errors?.[0]?.extensions }).toEqual({ input, error: expect.objectContaining({ code, messageKey, field }) });
      expect(res.errors![0]!.message).toMatch(/[ạảãáàâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ]/i);
    }

    const duplicate = await call(CREATE_ACCOUNT, {
      input: { username: existing.username.toUpperCase(), displayName: 'Trùng', password: PASSWORD },
    });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageKey: 'USERNAME_TAKEN',
      field: ['input', 'username'],
    });
    const weak = await call(CREATE_ACCOUNT, { input: { username: newUsername(), displayName: 'Yếu', password: 'ngan' } });
    expect(weak.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'password'] });
    const badName = await call(CREATE_ACCOUNT, { input: { username: 'có dấu', displayName: 'Sai', password: PASSWORD } });
    expect(badName.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['input', 'username'] });

    expect(await counts()).toEqual(before);
  });

  it('lists accounts for administrators, searching without diacritics, page by page', async () => {
    const tag = uniqueCode().toLowerCase();
    for (const name of ['Trần Văn Bình', 'Lê Thị Bích', 'Phạm Văn Cường']) {
      await call(CREATE_ACCOUNT, { input: { username: `ds.${tag}.${seq++}`, displayName: `${name} ${tag}`, password: PASSWORD } });
    }
    const page1 = await call(
      `query($s: String) { accounts(first: 2, search: $s) { totalCount hasNextPage endCursor nodes { username displayName } } }`,
      {
        s: `van ${tag}`,
      },
    );
    expect(page1.errors).toBeUndefined();
    expect(page1.data!.accounts).toMatchObject({ totalCount: 2, hasNextPage: false });
    expect(page1.data!.accounts.nodes.map((n: { displayName: string }) => n.displayName).sort()).toEqual(
      [`Phạm Văn Cường ${tag}`, `Trần Văn Bình ${tag}`].sort(),
    );
    const all1 = await call(
      `query($s: String) { accounts(first: 2, search: $s) { totalCount hasNextPage endCursor nodes { username } } }`,
      { s: `ds.${tag}` },
    );
    expect(all1.data!.accounts).toMatchObject({ totalCount: 3, hasNextPage: true });
    const all2 = await call(
      `query($s: String, $a: String) { accounts(first: 2, search: $s, after: $a) { hasNextPage nodes { username } } }`,
      {
        s: `ds.${tag}`,
        a: all1.data!.accounts.endCursor,
      },
    );
    expect(all2.data!.accounts.hasNextPage).toBe(false);
    const usernames = [...all1.data!.accounts.nodes, ...all2.data!.accounts.nodes].map((n: { username: string }) => n.username);
    expect(usernames).toEqual([...usernames].sort());
    expect(new Set(usernames).size).toBe(3);
  });

  it('the token command signs for an account with its active assignments', async () => {
    const account = await createAccount();
    await call(ASSIGN_ROLE, { input: { accountId: account.id, role: 'COMMUNE_OFFICER', unitId: commune.id } });
    const run = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'infra/dist/cli/token.js'), '--profile', 'test', '--account', account.username],
      {
        env: { ...process.env, JWT_SECRET: stack().jwtSecret },
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const c = claims(run.stdout.trim());
    expect(c).toMatchObject({ sub: account.id, name: 'Nguyễn Thị Lan', roles: [{ role: 'COMMUNE_OFFICER', unitId: commune.id }] });
    const me = await call(`{ me { subject roles { role unit { id } } } }`, {}, run.stdout.trim());
    expect(me.data!.me).toEqual({ subject: account.id, roles: [{ role: 'COMMUNE_OFFICER', unit: { id: commune.id } }] });

    const unknown = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'infra/dist/cli/token.js'), '--profile', 'test', '--account', 'khong.ton.tai'],
      {
        env: { ...process.env, JWT_SECRET: stack().jwtSecret },
        encoding: 'utf8',
      },
    );
    expect(unknown.status).not.toBe(0);
    expect(unknown.stdout).toBe('');
  });

  it('the sign-in route is reachable only through the gateway, and the gateway limits its body', async () => {
    const direct = new URL('/auth/token', stack().serviceUrls.org);
    const body = JSON.stringify({ username: 'x', password: 'y' });
    const bypass = await fetch(direct, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(bypass.status).toBe(403);
    const withCredential = await fetch(direct, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-xhht-gateway': await gatewayCredential() },
      body,
    });
    expect(withCredential.status).toBe(401);
    const huge = await fetch(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x', password: 'y'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
  });

  it('sign-in while org is down answers 503 with a clear message, and works again once it is back', async () => {
    const username = newUsername();
    const password = `mat-khau-${uniqueCode()}`;
    await createAccount(username, password);
    const pidFile = stack().pidFiles.org!;
    const killedPid = Number(readFileSync(pidFile, 'utf8'));
    process.kill(killedPid, 'SIGKILL');
    const down = await signIn(username, password);
    expect(down.status).toBe(503);
    expect(down.body.errors[0]).toEqual({
      message: 'Dịch vụ tạm thời không sẵn sàng, vui lòng thử lại sau ít phút',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    // the supervisor restarts org; the same sign-in then succeeds
    await eventually(
      async () => {
        const pid = Number(readFileSync(pidFile, 'utf8'));
        const ready = await fetch(new URL('/readyz', stack().serviceUrls.org)).catch(() => undefined);
        return pid !== killedPid && ready?.status === 200 ? true : undefined;
      },
      60000,
      'org restarted and ready',
    );
    const back = await signIn(username, password);
    expect(back.status).toBe(200);
    expect(typeof back.body.token).toBe('string');
  });

  it('no answer and no log line carries a password, its hash or an issued token', async () => {
    const username = newUsername();
    const password = `bi-mat-${uniqueCode()}`;
    const account = await createAccount(username, password);
    const token = (await signIn(username, password)).body.token as string;
    await signIn(username, `${password}-sai`);
    await call(`{ accounts(first: 200) { nodes { ${ACCOUNT_FIELDS} } } }`);
    const rows = await sql<{ password_hash: string }>('org', 'select password_hash from account where id = $1', [account.id]);
    const hash = rows[0]!.password_hash;
    expect(hash).toMatch(/^scrypt\$/);
    const answered = JSON.stringify(answers);
    expect(answered).not.toContain('scrypt$');
    expect(answered).not.toContain(hash.split('$')[5]);
    expect(answered).not.toContain(password);

    const logs = path.join(dataRoot('test'), 'logs');
    const read = () => ['org.log', 'gateway.log'].map((f) => readFileSync(path.join(logs, f), 'utf8')).join('\n');
    // the audit line of the sign-in is there, so the log has caught up with this test
    await eventually(
      async () => (read().includes(`"accountId":"${account.id}","roles":0,"msg":"signed in"`) ? true : undefined),
      10000,
      'sign-in log line',
    );
    const text = read();
    expect(text).toContain(`"audit":"account.created","actor":"test-admin","accountId":"${account.id}"`);
    expect(text).not.toContain(password);
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain(hash.split('$')[5]);
    expect(text).not.toContain(token.split('.')[2]);
    expect(text).not.toContain(PASSWORD);
  });
});
