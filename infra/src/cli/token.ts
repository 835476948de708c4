import { parseArgs } from 'node:util';
import { ROLE_NAMES, type Role } from '../auth/roles';
import { signUserToken, type RoleGrant } from '../auth/tokens';
import { storedSecrets } from '../stack/stack';

const USAGE = `Usage: npm run -s token -- --role ROLE [--unit UNIT_ID | --org ORG_ID] [--role ROLE …] [--sub ID] [--name NAME] [--ttl 12h]
Prints a signed JWT and nothing else. The secret is JWT_SECRET, or the local stack's.
Each --unit/--org applies to the --role before it. Roles: ${ROLE_NAMES.join(', ')}`;

function main(): void {
  const args = process.argv.slice(2);
  const { values, tokens } = parseArgs({
    args,
    tokens: true,
    options: {
      role: { type: 'string', multiple: true },
      unit: { type: 'string', multiple: true },
      org: { type: 'string', multiple: true },
      sub: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
      profile: { type: 'string', default: 'dev' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.role?.length) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const grants: RoleGrant[] = [];
  for (const t of tokens ?? []) {
    if (t.kind !== 'option') continue;
    if (t.name === 'role') {
      if (!ROLE_NAMES.includes(t.value as Role)) {
        console.error(`Unknown role ${t.value}\n${USAGE}`);
        process.exit(2);
      }
      grants.push({ role: t.value as Role });
    } else if (t.name === 'unit' || t.name === 'org') {
      const last = grants[grants.length - 1];
      if (!last) {
        console.error(`--${t.name} must follow a --role\n${USAGE}`);
        process.exit(2);
      }
      if (t.name === 'unit') last.unitId = t.value;
      else last.organizationId = t.value;
    }
  }
  const secret = process.env.JWT_SECRET ?? storedSecrets(values.profile === 'test' ? 'test' : 'dev')?.jwtSecret;
  if (!secret) {
    console.error('No JWT_SECRET and no local stack secrets yet: run `npm start` once, or set JWT_SECRET.');
    process.exit(2);
  }
  signUserToken(
    { subject: values.sub ?? `cli-${grants[0]!.role.toLowerCase()}`, name: values.name, roles: grants },
    secret,
    values.ttl,
  ).then(
    (token) => process.stdout.write(`${token}\n`),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}

main();
