import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { forbidden, todayInVietnam, isUuid } from '@xhht/infra';
import type { OrgContext } from '../context';

import { listPage, type ListArgs } from '../common/list';
import { Organization, ORGANIZATION_TYPE_NAMES, type OrganizationType } from './organization.entity';
import { parseUpdateOrganization, registerOrganization, updateOrganization } from './organization.domain';

const byId = (id: string, ctx: OrgContext) => (isUuid(id) ? ctx.loaders.organization.load(id) : null);

export const organizationResolvers: GraphQLResolverMap<OrgContext> = {
  Organization: {
    __resolveReference: (ref: { id: string }, ctx: OrgContext) => byId(ref.id, ctx),
    typeName: (o: Organization) => ORGANIZATION_TYPE_NAMES[o.type],
    unit: (o: Organization, _: unknown, ctx: OrgContext) => ctx.loaders.adminUnit.load({ id: o.unitId, asOf: todayInVietnam() }),
    parent: (o: Organization, _: unknown, ctx: OrgContext) => (o.parentId ? ctx.loaders.organization.load(o.parentId) : null),
    children: (o: Organization, _: unknown, ctx: OrgContext) => ctx.loaders.organizationsByParent.load(o.id),
  },
  Query: {
    organization: (_: unknown, args: { id: string }, ctx: OrgContext) => byId(args.id, ctx),
    organizations: (_: unknown, args: ListArgs & { type?: OrganizationType | null }, ctx: OrgContext) =>
      listPage(
        ctx.em,
        Organization,
        {
          table: 'organization',
          nameColumn: 'name',
          foldedColumn: 'name_folded',
          where: args.type ? [{ sql: 'type = ?', params: [args.type] }] : [],
        },
        args,
      ),
  },
  Mutation: {
    registerOrganization: async (_: unknown, args: { input: { unitId?: string } }, ctx: OrgContext) => {
      if (typeof args.input.unitId === 'string' && isUuid(args.input.unitId)) {
        await ctx.loaders.scope.requireOfficerOver(ctx.auth, [args.input.unitId]);
      } else ctx.auth.requireRole('COMMUNE_OFFICER');
      const o = await ctx.transact((em) => registerOrganization(em, args.input, ctx.auth.subject));
      ctx.logger.info({ organizationId: o.id, unitId: o.unitId, actor: ctx.auth.subject }, 'organization registered');
      return { organization: o };
    },
    updateOrganization: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseUpdateOrganization(args.input);
      const current = await ctx.loaders.organization.load(input.id);
      if (current) {
        const own = ctx.loaders.scope.staffOrganizations(ctx.auth).includes(current.id);
        if (!own && !(await ctx.loaders.scope.holdsOver(ctx.auth, 'COMMUNE_OFFICER', [current.unitId]))) {
          throw forbidden('Tổ chức nằm ngoài phạm vi quản lý của bạn', 'OUTSIDE_SCOPE');
        }
      }
      const o = await ctx.transact((em) => updateOrganization(em, input, ctx.auth.subject));
      ctx.logger.info({ organizationId: o.id, actor: ctx.auth.subject }, 'organization updated');
      return { organization: o };
    },
  },
};
