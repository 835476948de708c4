import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { OrgContext } from '../context';
import type { AdminUnitView } from './admin-unit.repository';
import { todayInVietnam } from '@xhht/infra';
import { ADMIN_UNIT_KIND_NAMES } from './admin-unit-kind';
import { createAdminUnit } from './create-admin-unit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const adminUnitResolvers: GraphQLResolverMap<OrgContext> = {
  AdminUnit: {
    __resolveReference: (ref: { id: string }, ctx: OrgContext) =>
      UUID.test(ref.id) ? ctx.loaders.adminUnit.load({ id: ref.id, asOf: todayInVietnam() }) : null,
    kindName: (unit: AdminUnitView) => ADMIN_UNIT_KIND_NAMES[unit.kind],
    parent: (unit: AdminUnitView, _args: unknown, ctx: OrgContext) =>
      unit.parentId ? ctx.loaders.adminUnit.load({ id: unit.parentId, asOf: unit.asOf }) : null,
  },
  Query: {
    adminUnit: (_: unknown, args: { id: string }, ctx: OrgContext) =>
      UUID.test(args.id) ? ctx.loaders.adminUnit.load({ id: args.id, asOf: todayInVietnam() }) : null,
  },
  Mutation: {
    createAdminUnit: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      ctx.auth.requireRole('SYSTEM_ADMIN');
      const unit = await ctx.transact((em) => createAdminUnit(em, args.input, ctx.auth.subject));
      ctx.logger.info({ unitId: unit.id, kind: unit.kind }, 'admin unit created');
      return { adminUnit: unit };
    },
  },
};
