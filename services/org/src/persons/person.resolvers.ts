import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { forbidden, todayInVietnam, parseInput, isUuid, uuidArray } from '@xhht/infra';
import type { OrgContext } from '../context';

import { listPage, type ListArgs } from '../common/list';
import { readForbidden } from '../authorization/scope';
import { readableHousehold } from '../households/household.resolvers';
import { OCCUPATIONAL_GROUP_NAMES, Person, SEX_NAMES } from './person.entity';
import { registerPerson, registerPersonInput, updatePerson, updatePersonInput } from './person.domain';

async function readablePerson(id: string, ctx: OrgContext): Promise<Person | null> {
  if (!isUuid(id)) return null;
  const p = await ctx.loaders.person.load(id);
  if (!p) return null;
  if (!(await ctx.loaders.scope.canReadPerson(ctx.auth, p))) throw readForbidden();
  return p;
}

/** Units a change to a person touches: its own and its household's (when it has one and it exists). */
async function touchedUnits(ctx: OrgContext, unitId: string, householdId?: string | null): Promise<string[]> {
  const units = [unitId];
  if (householdId && isUuid(householdId)) {
    const h = await ctx.loaders.household.load(householdId);
    if (h) units.push(h.unitId);
  }
  return units;
}

const refuse = () => forbidden('Công dân nằm ngoài phạm vi quản lý của bạn', 'OUTSIDE_SCOPE');

export const personResolvers: GraphQLResolverMap<OrgContext> = {
  Person: {
    __resolveReference: (ref: { id: string }, ctx: OrgContext) => readablePerson(ref.id, ctx),
    sexName: (p: Person) => SEX_NAMES[p.sex],
    occupationalGroupName: (p: Person) => OCCUPATIONAL_GROUP_NAMES[p.occupationalGroup],
    unit: (p: Person, _: unknown, ctx: OrgContext) => ctx.loaders.adminUnit.load({ id: p.unitId, asOf: todayInVietnam() }),
    household: (p: Person, _: unknown, ctx: OrgContext) => (p.householdId ? readableHousehold(p.householdId, ctx) : null),
    workplace: (p: Person, _: unknown, ctx: OrgContext) => (p.workplaceId ? ctx.loaders.organization.load(p.workplaceId) : null),
  },
  Query: {
    person: (_: unknown, args: { id: string }, ctx: OrgContext) => readablePerson(args.id, ctx),
    persons: async (_: unknown, args: ListArgs & { workplaceId?: string | null }, ctx: OrgContext) => {
      const units = await ctx.loaders.scope.readableUnits(ctx.auth);
      const where = [];
      if (units !== 'ALL') {
        where.push({
          sql: 'unit_id = any(?::uuid[]) or workplace_id = any(?::uuid[])',
          params: [uuidArray(units), uuidArray(ctx.loaders.scope.staffOrganizations(ctx.auth))],
        });
      }
      if (args.workplaceId) where.push({ sql: 'workplace_id = ?::uuid', params: [isUuid(args.workplaceId) ? args.workplaceId : null] });
      return listPage(ctx.em, Person, { table: 'person', nameColumn: 'full_name', foldedColumn: 'name_folded', where }, args);
    },
  },
  Mutation: {
    registerPerson: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseInput(registerPersonInput, args.input);
      const staff = !!input.workplaceId && ctx.loaders.scope.staffOrganizations(ctx.auth).includes(input.workplaceId);
      if (
        !staff &&
        !(await ctx.loaders.scope.holdsOver(ctx.auth, 'COMMUNE_OFFICER', await touchedUnits(ctx, input.unitId, input.householdId)))
      ) {
        throw refuse();
      }
      const p = await ctx.transact((em) => registerPerson(em, input, ctx.auth.subject));
      ctx.logger.info({ personId: p.id, unitId: p.unitId, actor: ctx.auth.subject }, 'person registered');
      return { person: p };
    },
    updatePerson: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      const input = parseInput(updatePersonInput, args.input);
      const current = await ctx.loaders.person.load(input.id);
      if (current) {
        // an organization officer edits its staff, and may not move them to another workplace
        const orgs = ctx.loaders.scope.staffOrganizations(ctx.auth);
        const staff =
          !!current.workplaceId &&
          orgs.includes(current.workplaceId) &&
          (input.workplaceId === undefined || orgs.includes(input.workplaceId ?? ''));
        const householdId = input.householdId === undefined ? null : input.householdId;
        if (
          !staff &&
          !(await ctx.loaders.scope.holdsOver(ctx.auth, 'COMMUNE_OFFICER', await touchedUnits(ctx, current.unitId, householdId)))
        ) {
          throw refuse();
        }
      }
      const p = await ctx.transact((em) => updatePerson(em, input, ctx.auth.subject));
      ctx.logger.info({ personId: p.id, actor: ctx.auth.subject }, 'person updated');
      return { person: p };
    },
  },
};
