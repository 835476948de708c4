import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { loadConfig, signUserToken, type HttpRoute, type RoleGrant, type RouteServices } from '@xhht/infra';
import { decoyHash, verifyPassword } from './password';

const signInConfigSchema = z.object({
  /** Lifetime of a signed-in user's token; short, since revoking a role takes effect at the next sign-in. */
  ACCOUNT_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
});

const credentialsSchema = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(200),
});

/** One message for unknown user, wrong password and disabled account: the answer must not reveal which usernames exist. */
export const SIGN_IN_REFUSED = 'Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa';

/** The role claims an account carries right now: its assignments that have not been revoked. */
export async function activeGrants(em: EntityManager, accountId: string): Promise<RoleGrant[]> {
  const rows = await em.execute<
    { role: RoleGrant['role']; unit_id: string | null; organization_id: string | null; person_id: string | null }[]
  >(
    'select role, unit_id, organization_id, person_id from role_assignment where account_id = ? and revoked_at is null order by granted_at, id',
    [accountId],
  );
  return rows.map((r) => ({
    role: r.role,
    ...(r.unit_id ? { unitId: r.unit_id } : {}),
    ...(r.organization_id ? { organizationId: r.organization_id } : {}),
    ...(r.person_id ? { personId: r.person_id } : {}),
  }));
}

/**
 * `POST /auth/token` with `{username, password}`: a user token whose claims are the account's
 * active role assignments at this moment, or 401.
 */
export function signInRoute({ config, env }: RouteServices): HttpRoute {
  const { ACCOUNT_TOKEN_TTL_SECONDS: ttl } = loadConfig(signInConfigSchema, env);
  const refused = { status: 401, body: { errors: [{ message: SIGN_IN_REFUSED, extensions: { code: 'UNAUTHENTICATED' } }] } };
  return {
    method: 'POST',
    path: '/auth/token',
    async handle(body, { em, logger }) {
      const credentials = credentialsSchema.safeParse(body);
      if (!credentials.success) {
        return {
          status: 400,
          body: { errors: [{ message: 'Cần gửi JSON {"username": "…", "password": "…"}', extensions: { code: 'BAD_REQUEST' } }] },
        };
      }
      const { username, password } = credentials.data;
      const [account] = await em.execute<{ id: string; display_name: string; password_hash: string; active: boolean }[]>(
        'select id, display_name, password_hash, active from account where username = ?',
        [username.trim().toLowerCase()],
      );
      // the unknown-user path does the same work as a wrong password
      const matches = await verifyPassword(password, account?.password_hash ?? (await decoyHash()));
      if (!account || !matches || !account.active) {
        const reason = !account ? 'unknown username' : !matches ? 'wrong password' : 'account disabled';
        logger.info({ accountId: account?.id, reason }, 'sign-in refused');
        return refused;
      }
      const roles = await activeGrants(em, account.id);
      const expiresAt = Math.floor(Date.now() / 1000) + ttl;
      const token = await signUserToken({ subject: account.id, name: account.display_name, roles }, config.JWT_SECRET, expiresAt);
      logger.info({ accountId: account.id, roles: roles.length }, 'signed in');
      return { status: 200, body: { token, expiresAt: new Date(expiresAt * 1000).toISOString() } };
    },
  };
}
