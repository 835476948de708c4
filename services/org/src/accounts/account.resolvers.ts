import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ROLES, badInput, foldVietnamese, forbidden, todayInVietnam, type RoleGrant, isUuid } from '@xhht/infra';
import type { OrgContext } from '../context';
import { Account, type RoleAssignment } from './account.entity';
import { assignRole, createAccount, revokeRole, setAccountActive } from './manage-accounts';

/** Accounts and roles are managed by system administrators alone, whatever scoped roles the caller holds. */
function requireAdmin(ctx: OrgContext): void {
  if (!ctx.auth.isSystemAdmin) throw forbidden('Chỉ quản trị hệ thống được quản lý tài khoản và phân quyền', 'ADMIN_ONLY');
}

const unitOf = (unitId: string | null | undefined, ctx: OrgContext) =>
  unitId ? ctx.loaders.adminUnit.load({ id: unitId, asOf: todayInVietnam() }) : null;

const cursor = (username: string) => Buffer.from(username, 'utf8').toString('base64url');

async function listAccounts(em: EntityManager, args: { first?: number | null; after?: string | null; search?: string | null }) {
  const first = args.first ?? 50;
  if (first < 1 || first > 200) throw badInput('first phải từ 1 đến 200', 'INVALID_PAGE_SIZE', ['first']);
  // every word must appear in the username or the display name, diacritics ignored
  const words = foldVietnamese(args.search ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const where =
    words.length > 0 ? { $and: words.map((w) => ({ $or: [{ username: { $like: w } }, { displayNameFolded: { $like: w } }] })) } : {};
  const after = args.after ? Buffer.from(args.after, 'base64url').toString('utf8') : undefined;
  const page = await em.find(Account, after ? { $and: [where, { username: { $gt: after } }] } : where, {
    orderBy: { username: 'asc' },
    limit: first + 1,
  });
  const totalCount = await em.count(Account, where);
  const nodes = page.slice(0, first);
  return {
    nodes,
    totalCount,
    endCursor: nodes.length > 0 ? cursor(nodes[nodes.length - 1]!.username) : null,
    hasNextPage: page.length > first,
  };
}

/** Writes one audit line per change: who, what, on which account; never a password or token. */
function audit(ctx: OrgContext, action: string, fields: Record<string, unknown>): void {
  ctx.logger.info({ audit: action, actor: ctx.auth.subject, ...fields }, `account change: ${action}`);
}

export const accountResolvers: GraphQLResolverMap<OrgContext> = {
  Account: {
    roles: (account: Account, _: unknown, ctx: OrgContext) => ctx.loaders.activeAssignments.load(account.id),
    createdAt: (account: Account) => account.createdAt.toISOString(),
  },
  RoleAssignment: {
    roleName: (a: RoleAssignment) => ROLES[a.role],
    unit: (a: RoleAssignment, _: unknown, ctx: OrgContext) => unitOf(a.unitId, ctx),
    grantedAt: (a: RoleAssignment) => a.grantedAt.toISOString(),
    revokedAt: (a: RoleAssignment) => a.revokedAt?.toISOString() ?? null,
  },
  CallerRole: {
    roleName: (g: RoleGrant) => ROLES[g.role],
    unit: (g: RoleGrant, _: unknown, ctx: OrgContext) => unitOf(g.unitId, ctx),
  },
  Query: {
    me: (_: unknown, __: unknown, ctx: OrgContext) => ({
      subject: ctx.auth.subject,
      name: ctx.auth.principal.name ?? null,
      roles: ctx.auth.principal.roles,
      // tokens minted by the command line or tests carry subjects that are not accounts
      account: isUuid(ctx.auth.subject) ? ctx.loaders.account.load(ctx.auth.subject) : null,
    }),
    accounts: (_: unknown, args: { first?: number; after?: string; search?: string }, ctx: OrgContext) => {
      requireAdmin(ctx);
      return listAccounts(ctx.em, args);
    },
    account: (_: unknown, args: { id: string }, ctx: OrgContext) => {
      if (args.id !== ctx.auth.subject) requireAdmin(ctx);
      return isUuid(args.id) ? ctx.loaders.account.load(args.id) : null;
    },
  },
  Mutation: {
    createAccount: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      requireAdmin(ctx);
      const account = await ctx.transact(async (em) => ({ result: await createAccount(em, args.input, ctx.auth.subject), events: [] }));
      audit(ctx, 'account.created', { accountId: account.id });
      return { account };
    },
    assignRole: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      requireAdmin(ctx);
      const assignment = await ctx.transact(async (em) => ({ result: await assignRole(em, args.input, ctx.auth.subject), events: [] }));
      audit(ctx, 'role.assigned', {
        accountId: assignment.accountId,
        assignmentId: assignment.id,
        role: assignment.role,
        unitId: assignment.unitId,
        organizationId: assignment.organizationId,
        personId: assignment.personId,
      });
      return { assignment, account: ctx.loaders.account.load(assignment.accountId) };
    },
    revokeRole: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      requireAdmin(ctx);
      const assignment = await ctx.transact(async (em) => ({ result: await revokeRole(em, args.input, ctx.auth.subject), events: [] }));
      audit(ctx, 'role.revoked', { accountId: assignment.accountId, assignmentId: assignment.id, role: assignment.role });
      return { assignment, account: ctx.loaders.account.load(assignment.accountId) };
    },
    setAccountActive: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      requireAdmin(ctx);
      const account = await ctx.transact(async (em) => ({ result: await setAccountActive(em, args.input, ctx.auth.subject), events: [] }));
      audit(ctx, account.active ? 'account.activated' : 'account.deactivated', { accountId: account.id });
      return { account };
    },
  },
};
