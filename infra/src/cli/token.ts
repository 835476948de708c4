import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { ROLE_NAMES, type Role } from '../auth/roles';
import { signUserToken, type Principal, type RoleGrant } from '../auth/tokens';
import { readStackState, storedSecrets } from '../stack/stack';

const USAGE = `Usage: npm run -s token -- --role ROLE [--unit UNIT_ID | --org ORG_ID | --person PERSON_ID] [--role ROLE …] [--sub ID] [--name NAME] [--ttl 12h]
       npm run -s token -- --account USERNAME [--ttl 12h]
Prints a signed JWT and nothing else. The secret is JWT_SECRET, or the local stack's.
Each --unit/--org/--person applies to the --role before it (--person: the person a CITIZEN is). Roles: ${ROLE_NAMES.join(', ')}
--account signs for an account of the running stack's org database, with its active role assignments.`;

/** The account's identity and active assignments, read from the org database of the running stack. */
async function accountPrincipal(username: string, profile: 'dev' | 'test'): Promise<Principal> {
  const client = new Client({ connectionString: readStackState(profile).databaseUrls.org });
  await client.connect();
  try {
    const account = (
      await client.query<{ id: string; display_name: string; active: boolean }>(
        'select id, display_name, active from account where username = $1',
        [username.trim().toLowerCase()],
      )
    ).rows[0];
    if (!account) throw new Error(`No account ${username}`);
    if (!account.active) throw new Error(`Account ${username} is disabled`);
    const grants = await client.query<{ role: Role; unit_id: string | null; organization_id: string | null; person_id: string | null }>(
      'select role, unit_id, organization_id, person_id from role_assignment where account_id = $1 and revoked_at is null order by granted_at, id',
      [account.id],
    );
    return {
      subject: account.id,
      name: account.display_name,
      roles: grants.rows.map((g) => ({
        role: g.role,
        ...(g.unit_id ? { unitId: g.unit_id } : {}),
        ...(g.organization_id ? { organizationId: g.organization_id } : {}),
        ...(g.person_id ? { personId: g.person_id } : {}),
      })),
    };
  } finally {
    await client.end();
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const { values, tokens } = parseArgs({
    args,
    tokens: true,
    options: {
      role: { type: 'string', multiple: true },
      unit: { type: 'string', multiple: true },
      org: { type: 'string', multiple: true },
      person: { type: 'string', multiple: true },
      sub: { type: 'string' },
      name: { type: 'string' },
      account: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
      profile: { type: 'string', default: 'dev' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || (!values.role?.length && !values.account)) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  if (values.account && (values.role?.length || values.sub || values.name)) {
    console.error(`--account takes its roles, subject and name from the account\n${USAGE}`);
    process.exit(2);
  }
  const profile = values.profile === 'test' ? 'test' : 'dev';
  const grants: RoleGrant[] = [];
  for (const t of tokens ?? []) {
    if (t.kind !== 'option') continue;
    if (t.name === 'role') {
      if (!ROLE_NAMES.includes(t.value as Role)) {
        console.error(`Unknown role ${t.value}\n${USAGE}`);
        process.exit(2);
      }
      grants.push({ role: t.value as Role });
    } else if (t.name === 'unit' || t.name === 'org' || t.name === 'person') {
      const last = grants[grants.length - 1];
      if (!last) {
        console.error(`--${t.name} must follow a --role\n${USAGE}`);
        process.exit(2);
      }
      if (t.name === 'unit') last.unitId = t.value;
      else if (t.name === 'org') last.organizationId = t.value;
      else last.personId = t.value;
    }
  }
  const secret = process.env.JWT_SECRET ?? storedSecrets(profile)?.jwtSecret;
  if (!secret) {
    console.error('No JWT_SECRET and no local stack secrets yet: run `npm start` once, or set JWT_SECRET.');
    process.exit(2);
  }
  const principal: Promise<Principal> = values.account
    ? accountPrincipal(values.account, profile)
    : Promise.resolve({ subject: values.sub ?? `cli-${grants[0]!.role.toLowerCase()}`, name: values.name, roles: grants });
  principal
    .then((p) => signUserToken(p, secret, values.ttl))
    .then(
      (token) => process.stdout.write(`${token}\n`),
      (err: Error) => {
        console.error(err.message);
        process.exit(1);
      },
    );
}

main();
