import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { todayInVietnam, parseInput, isUuid } from '@xhht/infra';
import type { OrgContext } from '../context';

import { listPage, type ListArgs } from '../common/list';
import { Clan, ClanBranch, ClanHousehold } from './clan.entity';
import { registerClan, registerClanInput, updateClan, updateClanInput } from './clan.domain';

const byId = (id: string, ctx: OrgContext) => (isUuid(id) ? ctx.loaders.clan.load(id) : null);

/** The clan's unit plus the units of every household a change adds or removes. */
async function touchedUnits(ctx: OrgContext, clanUnitId: string, householdIds: string[]): Promise<string[]> {
  const households = await ctx.loaders.household.loadMany(householdIds);
  return [clanUnitId, ...households.flatMap((h) => (h && !(h instanceof Error) ? [h.unitId] : []))];
}

export const clanResolvers: GraphQLResolverMap<OrgContext> = {
  Clan: {
    __resolveReference: (ref: { id: string }, ctx: OrgContext) => byId(ref.id, ctx),
    unit: (c: Clan, _: unknown, ctx: OrgContext) => ctx.loaders.adminUnit.load({ id: c.unitId, asOf: todayInVietnam() }),
    branches: (c: Clan, _: unknown, ctx: OrgContext) => ctx.loaders.clanBranches.load(c.id),
    householdCount: async (c: Clan, _: unknown, ctx: OrgContext) => (await ctx.loaders.clanHouseholds.load(c.id)).length,
    households: async (c: Clan, _: unknown, ctx: OrgContext) => {
      const links = await ctx.loaders.clanHouseholds.load(c.id);
      const households = await ctx.loaders.household.loadMany(links.map((l) => l.householdId));
      const out = [];
      for (const [i, h] of households.entries()) {
        if (h && !(h instanceof Error) && (await ctx.loaders.scope.canReadHousehold(ctx.auth, h)))
          out.push({ household: h, link: links[i] });
      }
      return out;
    },
  },
  ClanMember: {
    branch: async (m: { link: ClanHousehold }, _: unknown, ctx: OrgContext) =>
      m.link.branchId ? ((await ctx.loaders.clanBranches.load(m.link.clanId)).find((b) => b.id === m.link.branchId) ?? null) : null,
  },
  ClanBranch: {
    unit: (b: ClanBranch, _: unknown, ctx: OrgContext) =>
      b.unitId ? ctx.loaders.adminUnit.load({ id: b.unitId, asOf: todayInVietnam() }) : null,
  },
  Query: {
    clan: (_: unknown, args: { id: string }, ctx: OrgContext) => byId(args.id, ctx),
    clans: (_: unknown, args: ListArgs, ctx: OrgContext) =>
      listPage(ctx.em, Clan, { table: 'clan', nameColumn: 'name', foldedColumn: 'name_folded' }, args),
  },
  Mutation: {
    registerClan: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseInput(registerClanInput, args.input);
      await ctx.loaders.scope.requireOfficerOver(
        ctx.auth,
        await touchedUnits(
          ctx,
          input.unitId,
          input.households.map((h) => h.householdId),
        ),
      );
      const c = await ctx.transact((em) => registerClan(em, input, ctx.auth.subject));
      ctx.logger.info({ clanId: c.id, unitId: c.unitId, households: input.households.length, actor: ctx.auth.subject }, 'clan registered');
      return { clan: c };
    },
    updateClan: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseInput(updateClanInput, args.input);
      const current = await ctx.loaders.clan.load(input.id);
      if (current) {
        const ids = [...input.addHouseholds.map((h) => h.householdId), ...input.removeHouseholdIds];
        await ctx.loaders.scope.requireOfficerOver(ctx.auth, await touchedUnits(ctx, current.unitId, ids));
      }
      const c = await ctx.transact((em) => updateClan(em, input, ctx.auth.subject));
      ctx.logger.info({ clanId: c.id, actor: ctx.auth.subject }, 'clan updated');
      return { clan: c };
    },
  },
};
