import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CREATE_UNIT, gql, stack, uniqueCode } from '../support/stack';

const repoRoot = path.resolve(__dirname, '../..');

describe('what the operator and integrators rely on', () => {
  it('every service answers /healthz and /readyz with its database and broker reachable', async () => {
    for (const [service, url] of Object.entries(stack().serviceUrls)) {
      const health = await fetch(new URL('/healthz', url));
      expect({ service, status: health.status }).toEqual({ service, status: 200 });
      const ready = await fetch(new URL('/readyz', url));
      expect({ service, status: ready.status, body: await ready.json() }).toMatchObject({
        service,
        status: 200,
        body: { database: true, broker: true },
      });
    }
    const gateway = await fetch(new URL('/readyz', stack().gatewayUrl));
    expect(await gateway.json()).toEqual({
      service: 'gateway',
      subgraphs: { org: true, recognition: true, reporting: true, awards: true },
    });
  });

  it('the token command prints a JWT and nothing else, carrying the role and scope asked for', async () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [path.join(repoRoot, 'infra/dist/cli/token.js'), ...args], {
        env: { ...process.env, JWT_SECRET: stack().jwtSecret },
        encoding: 'utf8',
      });
    const ok = run(['--role', 'COMMUNE_OFFICER', '--unit', '00000000-0000-4000-8000-000000000009']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = JSON.parse(Buffer.from(ok.stdout.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims.roles).toEqual([{ role: 'COMMUNE_OFFICER', unitId: '00000000-0000-4000-8000-000000000009' }]);
    // the gateway accepts it, and the role decides: a commune officer may not change the hierarchy
    const res = await gql(CREATE_UNIT, { input: { code: uniqueCode(), name: 'Việt Nam', kind: 'NATION' } }, { token: ok.stdout.trim() });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const bad = run(['--role', 'EMPEROR']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/Unknown role EMPEROR/);
  });

  it('services keep idle connections for 65 s and say so, so the gateway never sends into one being closed', async () => {
    // with Node's default of 5 s, a request the gateway sent as the subgraph closed the connection
    // failed with "socket hang up"; the gateway's fetch drops a connection a second before the hint
    for (const url of [...Object.values(stack().serviceUrls), stack().gatewayUrl]) {
      const res = await fetch(new URL('/healthz', url));
      expect({ url, keepAlive: res.headers.get('keep-alive') }).toEqual({ url, keepAlive: 'timeout=65' });
    }
  });

  it('the gateway refuses a request body over its limit before doing any work', async () => {
    const res = await fetch(stack().gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${spawnToken()}` },
      body: JSON.stringify({ query: `{ learningTitles { title } }`, variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });
});

function spawnToken(): string {
  const out = spawnSync(process.execPath, [path.join(repoRoot, 'infra/dist/cli/token.js'), '--role', 'SYSTEM_ADMIN'], {
    env: { ...process.env, JWT_SECRET: stack().jwtSecret },
    encoding: 'utf8',
  });
  return out.stdout.trim();
}
