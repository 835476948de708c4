import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { todayInVietnam, parseInput, isUuid } from '@xhht/infra';
import type { OrgContext } from '../context';

import { Body, BodyMember, BODY_KIND_NAMES, MEMBER_ROLE_NAMES } from './body.entity';
import {
  addBodyMember,
  addBodyMemberInput,
  endBodyMembership,
  endBodyMembershipInput,
  establishBody,
  establishBodyInput,
} from './body.domain';

const bodyUnit = async (bodyId: string, ctx: OrgContext) => (await ctx.loaders.body.load(bodyId))?.unitId;

export const bodyResolvers: GraphQLResolverMap<OrgContext> = {
  Body: {
    __resolveReference: (ref: { id: string }, ctx: OrgContext) => (isUuid(ref.id) ? ctx.loaders.body.load(ref.id) : null),
    kindName: (b: Body) => BODY_KIND_NAMES[b.kind],
    unit: (b: Body, _: unknown, ctx: OrgContext) => ctx.loaders.adminUnit.load({ id: b.unitId, asOf: todayInVietnam() }),
    members: async (b: Body, args: { includeEnded?: boolean }, ctx: OrgContext) => {
      const today = todayInVietnam();
      const all = await ctx.loaders.bodyMembers.load(b.id);
      return args.includeEnded ? all : all.filter((m) => !m.validTo || m.validTo >= today);
    },
  },
  BodyMember: {
    __resolveReference: (ref: { id: string }, ctx: OrgContext) => (isUuid(ref.id) ? ctx.loaders.bodyMember.load(ref.id) : null),
    role: (m: BodyMember) => m.memberRole,
    roleName: (m: BodyMember) => MEMBER_ROLE_NAMES[m.memberRole],
    organization: (m: BodyMember, _: unknown, ctx: OrgContext) =>
      m.organizationId ? ctx.loaders.organization.load(m.organizationId) : null,
    body: (m: BodyMember, _: unknown, ctx: OrgContext) => ctx.loaders.body.load(m.bodyId),
    unit: async (m: BodyMember, _: unknown, ctx: OrgContext) => {
      const unitId = await bodyUnit(m.bodyId, ctx);
      return unitId ? ctx.loaders.adminUnit.load({ id: unitId, asOf: todayInVietnam() }) : null;
    },
  },
  Query: {
    bodies: async (_: unknown, args: { unitId: string }, ctx: OrgContext) =>
      isUuid(args.unitId)
        ? ctx.em.find(Body, { unitId: args.unitId }, { orderBy: { dissolvedOn: 'desc nulls first', kind: 'asc', establishedOn: 'desc' } })
        : [],
  },
  Mutation: {
    establishBody: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseInput(establishBodyInput, args.input);
      await ctx.loaders.scope.requireOfficerOver(ctx.auth, [input.unitId]);
      const b = await ctx.transact((em) => establishBody(em, input, ctx.auth.subject));
      ctx.logger.info({ bodyId: b.id, unitId: b.unitId, kind: b.kind, actor: ctx.auth.subject }, 'body established');
      return { body: b };
    },
    addBodyMember: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseInput(addBodyMemberInput, args.input);
      const unitId = await bodyUnit(input.bodyId, ctx);
      if (unitId) await ctx.loaders.scope.requireOfficerOver(ctx.auth, [unitId]);
      const m = await ctx.transact((em) => addBodyMember(em, input));
      ctx.logger.info({ bodyId: m.bodyId, memberId: m.id, actor: ctx.auth.subject }, 'body member added');
      return { member: m };
    },
    endBodyMembership: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseInput(endBodyMembershipInput, args.input);
      const current = await ctx.loaders.bodyMember.load(input.memberId);
      const unitId = current ? await bodyUnit(current.bodyId, ctx) : undefined;
      if (unitId) await ctx.loaders.scope.requireOfficerOver(ctx.auth, [unitId]);
      const m = await ctx.transact((em) => endBodyMembership(em, input));
      ctx.logger.info({ bodyId: m.bodyId, memberId: m.id, actor: ctx.auth.subject }, 'body membership ended');
      return { member: m };
    },
  },
};
