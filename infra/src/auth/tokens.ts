import { SignJWT, jwtVerify } from 'jose';
import { z } from 'zod';
import { ROLE_NAMES, type Role } from './roles';

export const TOKEN_ISSUER = 'xhht';
export const TOKEN_AUDIENCE = 'xhht-graph';
const GATEWAY_ISSUER = 'xhht-gateway';
const GATEWAY_AUDIENCE = 'xhht-subgraph';
/** Header the gateway adds to every subgraph call; subgraphs refuse calls without it. */
export const GATEWAY_HEADER = 'x-xhht-gateway';

/**
 * A role and the place it applies to: an administrative unit and everything below it, an
 * organization, or (for CITIZEN) the person the caller is.
 */
export interface RoleGrant {
  role: Role;
  unitId?: string;
  organizationId?: string;
  personId?: string;
}

export interface Principal {
  subject: string;
  name?: string;
  roles: RoleGrant[];
}

const grantSchema = z
  .object({
    role: z.enum(ROLE_NAMES as [Role, ...Role[]]),
    unitId: z.string().min(1).optional(),
    organizationId: z.string().min(1).optional(),
    personId: z.string().min(1).optional(),
  })
  .strict();

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  roles: z.array(grantSchema),
});

const key = (secret: string) => new TextEncoder().encode(secret);

/** `ttl` is a lifetime ("12h", "3600s") or, as a number, the absolute expiry in seconds since the epoch. */
export async function signUserToken(principal: Principal, secret: string, ttl: string | number = '12h'): Promise<string> {
  return new SignJWT({ roles: principal.roles.map((g) => grantSchema.parse(g)), ...(principal.name ? { name: principal.name } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(principal.subject)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(key(secret));
}

export class InvalidTokenError extends Error {}

/** Verifies signature, issuer, audience and expiry, then the shape of the claims. */
export async function verifyUserToken(token: string, secret: string): Promise<Principal> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, algorithms: ['HS256'] }));
  } catch (err) {
    throw new InvalidTokenError((err as Error).message);
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw new InvalidTokenError('token claims are malformed');
  return { subject: claims.data.sub, name: claims.data.name, roles: claims.data.roles };
}

/** The gateway's proof, on each subgraph call, that the call came through it. */
export async function signGatewayCredential(secret: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(GATEWAY_ISSUER)
    .setAudience(GATEWAY_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key(secret));
}

export async function verifyGatewayCredential(credential: string, secret: string): Promise<boolean> {
  try {
    await jwtVerify(credential, key(secret), { issuer: GATEWAY_ISSUER, audience: GATEWAY_AUDIENCE, algorithms: ['HS256'] });
    return true;
  } catch {
    return false;
  }
}

/** Reads "Bearer <token>" from an Authorization header value. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}
