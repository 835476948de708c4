import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { todayInVietnam, parseInput, isUuid, uuidArray } from '@xhht/infra';
import type { OrgContext } from '../context';

import { listPage, type ListArgs } from '../common/list';
import { readForbidden } from '../authorization/scope';
import type { Person } from '../persons/person.entity';
import { Household } from './household.entity';
import {
  moveHousehold,
  moveHouseholdInput,
  registerHousehold,
  registerHouseholdInput,
  updateHousehold,
  updateHouseholdInput,
} from './household.domain';

/** A household by id, FORBIDDEN when its personal data is outside the caller's scope. */
export async function readableHousehold(id: string, ctx: OrgContext): Promise<Household | null> {
  if (!isUuid(id)) return null;
  const h = await ctx.loaders.household.load(id);
  if (!h) return null;
  if (!(await ctx.loaders.scope.canReadHousehold(ctx.auth, h))) throw readForbidden();
  return h;
}

export const householdResolvers: GraphQLResolverMap<OrgContext> = {
  Household: {
    __resolveReference: (ref: { id: string }, ctx: OrgContext) => readableHousehold(ref.id, ctx),
    unit: (h: Household, _: unknown, ctx: OrgContext) => ctx.loaders.adminUnit.load({ id: h.unitId, asOf: todayInVietnam() }),
    members: async (h: Household, _: unknown, ctx: OrgContext) => {
      const members = await ctx.loaders.personsByHousehold.load(h.id);
      const visible = await Promise.all(members.map((p: Person) => ctx.loaders.scope.canReadPerson(ctx.auth, p)));
      return members.filter((_p, i) => visible[i]);
    },
  },
  Query: {
    household: (_: unknown, args: { id: string }, ctx: OrgContext) => readableHousehold(args.id, ctx),
    households: async (_: unknown, args: ListArgs, ctx: OrgContext) => {
      const units = await ctx.loaders.scope.readableUnits(ctx.auth);
      return listPage(
        ctx.em,
        Household,
        {
          table: 'household',
          nameColumn: 'head_name',
          foldedColumn: 'head_name_folded',
          where: units === 'ALL' ? [] : [{ sql: 'unit_id = any(?::uuid[])', params: [uuidArray(units)] }],
        },
        args,
      );
    },
  },
  Mutation: {
    registerHousehold: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseInput(registerHouseholdInput, args.input);
      await ctx.loaders.scope.requireOfficerOver(ctx.auth, [input.unitId]);
      const h = await ctx.transact((em) => registerHousehold(em, input, ctx.auth.subject));
      ctx.logger.info({ householdId: h.id, unitId: h.unitId, actor: ctx.auth.subject }, 'household registered');
      return { household: h };
    },
    updateHousehold: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseInput(updateHouseholdInput, args.input);
      const current = await ctx.loaders.household.load(input.id);
      if (current) await ctx.loaders.scope.requireOfficerOver(ctx.auth, [current.unitId]);
      const h = await ctx.transact((em) => updateHousehold(em, input, ctx.auth.subject));
      ctx.logger.info({ householdId: h.id, actor: ctx.auth.subject }, 'household updated');
      return { household: h };
    },
    moveHousehold: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseInput(moveHouseholdInput, args.input);
      const current = await ctx.loaders.household.load(input.id);
      const previousUnitId = current?.unitId;
      if (current) await ctx.loaders.scope.requireOfficerOver(ctx.auth, [current.unitId, input.unitId]);
      const h = await ctx.transact((em) => moveHousehold(em, input, ctx.auth.subject));
      ctx.logger.info({ householdId: h.id, unitId: h.unitId, previousUnitId, actor: ctx.auth.subject }, 'household moved');
      return { household: h, previousUnit: ctx.loaders.adminUnit.load({ id: previousUnitId!, asOf: todayInVietnam() }) };
    },
  },
};
