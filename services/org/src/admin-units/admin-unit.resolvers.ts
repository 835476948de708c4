import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { badInput, parseIsoDate, todayInVietnam, type CloudEvent, dayBefore, isUuid } from '@xhht/infra';
import type { OrgContext } from '../context';
import type { AdminUnitView } from './admin-unit.repository';
import { findViewsByCode } from './admin-unit.repository';
import { ADMIN_UNIT_KIND_NAMES, ADMIN_UNIT_SUBTYPES } from './admin-unit-kind';
import { ADMIN_UNIT_CHANGE_TYPE_NAMES, type AdminUnitChange } from './admin-unit-change.entity';
import type { AdminUnitVersion } from './admin-unit.entity';
import type { ChangeLink } from './admin-unit.loaders';
import { createAdminUnit } from './create-admin-unit';
import { listAdminUnits } from './list-admin-units';
import {
  mergeAdminUnits,
  moveAdminUnit,
  reclassifyAdminUnit,
  renameAdminUnit,
  splitAdminUnit,
  type ChangeResult,
} from './change-admin-units';

const dateArg = (asOf: unknown, fallback: string) => (asOf == null ? fallback : parseIsoDate(asOf));

type Args = Record<string, unknown>;
const present = <T>(x: T | null): x is T => x !== null;

/** Predecessors are shown as they were on their last day, successors as on the change's first. */
const related = async (ctx: OrgContext, links: ChangeLink[], unitId: string, mine: 'PREDECESSOR' | 'SUCCESSOR') => {
  const other = mine === 'SUCCESSOR' ? 'PREDECESSOR' : 'SUCCESSOR';
  const changeIds = new Set(links.filter((l) => l.unitId === unitId && l.role === mine).map((l) => l.change.id));
  const found = links.filter((l) => changeIds.has(l.change.id) && l.role === other);
  const units = await Promise.all(
    found.map((l) =>
      ctx.loaders.adminUnit.load({
        id: l.unitId,
        asOf: other === 'PREDECESSOR' ? dayBefore(l.change.effectiveDate) : l.change.effectiveDate,
      }),
    ),
  );
  return [...new Map(units.filter(present).map((u) => [u.id, u])).values()];
};

/** Runs a hierarchy change as an administrator and answers with the change and the units as of its date. */
async function applyChange(ctx: OrgContext, work: (em: OrgContext['em']) => Promise<{ result: ChangeResult; events: CloudEvent[] }>) {
  ctx.auth.requireRole('SYSTEM_ADMIN');
  const res = await ctx.transact(work);
  ctx.logger.info({ changeId: res.change.id, type: res.change.type, effectiveDate: res.effectiveDate }, 'hierarchy changed');
  const units = await Promise.all(res.unitIds.map((id) => ctx.loaders.adminUnit.load({ id, asOf: res.effectiveDate })));
  return { change: res.change, units: units.filter(present) };
}

export const adminUnitResolvers: GraphQLResolverMap<OrgContext> = {
  AdminUnit: {
    __resolveReference: (ref: { id: string }, ctx: OrgContext) =>
      isUuid(ref.id) ? ctx.loaders.adminUnit.load({ id: ref.id, asOf: todayInVietnam() }) : null,
    kindName: (unit: AdminUnitView) => ADMIN_UNIT_KIND_NAMES[unit.kind],
    subtypeName: (unit: AdminUnitView) => ADMIN_UNIT_SUBTYPES[unit.subtype].name,
    parent: async (unit: AdminUnitView, args: Args, ctx: OrgContext) => {
      const asOf = dateArg(args.asOf, unit.asOf);
      if (asOf === unit.asOf) return unit.parentId ? ctx.loaders.adminUnit.load({ id: unit.parentId, asOf }) : null;
      const self = await ctx.loaders.adminUnit.load({ id: unit.id, asOf });
      return self?.parentId ? ctx.loaders.adminUnit.load({ id: self.parentId, asOf }) : null;
    },
    children: (unit: AdminUnitView, args: Args, ctx: OrgContext) =>
      ctx.loaders.children.load({ id: unit.id, asOf: dateArg(args.asOf, unit.asOf) }),
    ancestors: async (unit: AdminUnitView, args: Args, ctx: OrgContext) => {
      const asOf = dateArg(args.asOf, unit.asOf);
      const out: AdminUnitView[] = [];
      let current = asOf === unit.asOf ? unit : await ctx.loaders.adminUnit.load({ id: unit.id, asOf });
      // each level is one batched lookup for every unit in the response
      while (current?.parentId && out.length < 10) {
        current = await ctx.loaders.adminUnit.load({ id: current.parentId, asOf });
        if (current) out.push(current);
      }
      return out;
    },
    predecessors: async (unit: AdminUnitView, _: Args, ctx: OrgContext) =>
      related(ctx, await ctx.loaders.changesOfUnit.load(unit.id), unit.id, 'SUCCESSOR'),
    successors: async (unit: AdminUnitView, _: Args, ctx: OrgContext) =>
      related(ctx, await ctx.loaders.changesOfUnit.load(unit.id), unit.id, 'PREDECESSOR'),
    changes: async (unit: AdminUnitView, _: Args, ctx: OrgContext) => [
      ...new Map((await ctx.loaders.changesOfUnit.load(unit.id)).map((l) => [l.change.id, l.change])).values(),
    ],
    history: (unit: AdminUnitView, _: Args, ctx: OrgContext) => ctx.loaders.versions.load(unit.id),
  },
  AdminUnitVersion: {
    parent: (v: AdminUnitVersion, _: Args, ctx: OrgContext) =>
      v.parentId ? ctx.loaders.adminUnit.load({ id: v.parentId, asOf: v.validFrom }) : null,
  },
  AdminUnitChange: {
    typeName: (c: AdminUnitChange) => ADMIN_UNIT_CHANGE_TYPE_NAMES[c.type],
    recordedBy: (c: AdminUnitChange) => c.createdBy,
    predecessors: async (c: AdminUnitChange, _: Args, ctx: OrgContext) => {
      const links = (await ctx.loaders.changeUnits.load(c.id)).filter((l) => l.role === 'PREDECESSOR');
      return (await Promise.all(links.map((l) => ctx.loaders.adminUnit.load({ id: l.unitId, asOf: dayBefore(c.effectiveDate) })))).filter(
        present,
      );
    },
    successors: async (c: AdminUnitChange, _: Args, ctx: OrgContext) => {
      const links = (await ctx.loaders.changeUnits.load(c.id)).filter((l) => l.role === 'SUCCESSOR');
      return (await Promise.all(links.map((l) => ctx.loaders.adminUnit.load({ id: l.unitId, asOf: c.effectiveDate })))).filter(present);
    },
    subjects: async (c: AdminUnitChange, _: Args, ctx: OrgContext) => {
      const links = (await ctx.loaders.changeUnits.load(c.id)).filter((l) => l.role === 'SUBJECT');
      return (await Promise.all(links.map((l) => ctx.loaders.adminUnit.load({ id: l.unitId, asOf: c.effectiveDate })))).filter(present);
    },
  },
  Query: {
    adminUnit: async (_: unknown, args: Args, ctx: OrgContext) => {
      const asOf = dateArg(args.asOf, todayInVietnam());
      if (args.id != null && args.code != null) throw badInput('Chỉ nêu mã định danh (id) hoặc mã đơn vị (code)', 'ID_OR_CODE', ['code']);
      if (typeof args.id === 'string') return isUuid(args.id) ? ctx.loaders.adminUnit.load({ id: args.id, asOf }) : null;
      if (typeof args.code === 'string') return (await findViewsByCode(ctx.em, [args.code.trim()], asOf)).get(args.code.trim()) ?? null;
      throw badInput('Cần mã định danh (id) hoặc mã đơn vị (code)', 'ID_OR_CODE', ['id']);
    },
    adminUnits: (_: unknown, args: Args, ctx: OrgContext) => listAdminUnits(ctx.em, args, dateArg(args.asOf, todayInVietnam())),
  },
  Mutation: {
    createAdminUnit: async (_: unknown, args: { input: unknown }, ctx: OrgContext) => {
      ctx.auth.requireRole('SYSTEM_ADMIN');
      const unit = await ctx.transact((em) => createAdminUnit(em, args.input, ctx.auth.subject));
      ctx.logger.info({ unitId: unit.id, kind: unit.kind }, 'admin unit created');
      return { adminUnit: unit };
    },
    renameAdminUnit: (_: unknown, args: { input: unknown }, ctx: OrgContext) =>
      applyChange(ctx, (em) => renameAdminUnit(em, args.input, ctx.auth.subject)),
    reclassifyAdminUnit: (_: unknown, args: { input: unknown }, ctx: OrgContext) =>
      applyChange(ctx, (em) => reclassifyAdminUnit(em, args.input, ctx.auth.subject)),
    moveAdminUnit: (_: unknown, args: { input: unknown }, ctx: OrgContext) =>
      applyChange(ctx, (em) => moveAdminUnit(em, args.input, ctx.auth.subject)),
    mergeAdminUnits: (_: unknown, args: { input: unknown }, ctx: OrgContext) =>
      applyChange(ctx, (em) => mergeAdminUnits(em, args.input, ctx.auth.subject)),
    splitAdminUnit: (_: unknown, args: { input: unknown }, ctx: OrgContext) =>
      applyChange(ctx, (em) => splitAdminUnit(em, args.input, ctx.auth.subject)),
  },
};
