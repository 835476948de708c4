import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, foldVietnamese, newEvent, notFound, rawQuery, todayInVietnam, uuidArray, type CloudEvent } from '@xhht/infra';
import { CODE, CODE_MESSAGE } from '../common/register-code';
import { requireLivingUnit } from '../common/units';
import { findViews } from '../admin-units/admin-unit.repository';
import { Household } from '../households/household.entity';
import { Clan, ClanBranch, ClanHousehold } from './clan.entity';

export const CLAN_REGISTERED = 'vn.xhht.org.clan.registered.v1';
export const CLAN_UPDATED = 'vn.xhht.org.clan.updated.v1';

const name = z.string().trim().min(1, 'tên không được để trống').max(200, 'tên dài tối đa 200 ký tự');
const branch = z.object({ name, unitId: z.string().uuid('mã đơn vị không hợp lệ').nullish() });
const member = z.object({ householdId: z.string().uuid('mã hộ không hợp lệ'), branchName: name.nullish() });

export const registerClanInput = z.object({
  unitId: z.string().uuid('mã đơn vị không hợp lệ'),
  code: z.string().trim().regex(CODE, CODE_MESSAGE),
  name,
  branches: z.array(branch).max(100).default([]),
  households: z.array(member).max(5000).default([]),
});
export const updateClanInput = z.object({
  id: z.string().uuid('mã dòng họ không hợp lệ'),
  code: z.string().trim().regex(CODE, CODE_MESSAGE).optional(),
  name: name.optional(),
  addBranches: z.array(branch).max(100).default([]),
  removeBranchIds: z.array(z.string().uuid('mã chi không hợp lệ')).default([]),
  addHouseholds: z.array(member).max(5000).default([]),
  removeHouseholdIds: z.array(z.string().uuid('mã hộ không hợp lệ')).default([]),
});

/**
 * Clans' event payloads — the whole resulting state with branches and member households — read in
 * one statement for any number of clans (call after flushing the change).
 */
export async function clanEventData(em: EntityManager, ids: string[]) {
  const rows = await rawQuery<
    {
      id: string;
      unitId: string;
      code: string;
      name: string;
      branches: { id: string; name: string; unitId: string | null }[];
      households: { householdId: string; branchId: string | null }[];
    }[]
  >(
    em,
    `select c.id, c.unit_id as "unitId", c.code, c.name,
       coalesce((select jsonb_agg(jsonb_build_object('id', b.id, 'name', b.name, 'unitId', b.unit_id) order by b.name)
                 from clan_branch b where b.clan_id = c.id), '[]'::jsonb) as branches,
       coalesce((select jsonb_agg(jsonb_build_object('householdId', m.household_id, 'branchId', m.branch_id) order by m.household_id)
                 from clan_household m where m.clan_id = c.id), '[]'::jsonb) as households
     from clan c where c.id = any(?::uuid[])`,
    [uuidArray(ids)],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

const eventData = async (em: EntityManager, c: Clan) => (await clanEventData(em, [c.id])).get(c.id)!;

async function requireCodeFree(em: EntityManager, unitId: string, code: string, exceptId?: string) {
  const taken = await em.findOne(Clan, { unitId, code });
  if (taken && taken.id !== exceptId) throw conflict(`Mã dòng họ ${code} đã được dùng trong đơn vị`, 'CODE_TAKEN', ['input', 'code']);
}

async function requireBranchUnits(em: EntityManager, branches: { unitId?: string | null }[], listField: string) {
  const ids = [...new Set(branches.map((b) => b.unitId).filter((u): u is string => !!u))];
  const found = await findViews(em, ids, todayInVietnam());
  branches.forEach((b, i) => {
    if (b.unitId && !found.has(b.unitId))
      throw badInput('Không tìm thấy đơn vị của chi', 'UNIT_NOT_FOUND', ['input', listField, String(i), 'unitId']);
  });
}

async function requireHouseholds(em: EntityManager, members: { householdId: string }[], listField: string) {
  const ids = [...new Set(members.map((m) => m.householdId))];
  const found = new Set((await em.find(Household, { id: { $in: ids } })).map((h) => h.id));
  members.forEach((m, i) => {
    if (!found.has(m.householdId))
      throw badInput('Không tìm thấy hộ gia đình', 'HOUSEHOLD_NOT_FOUND', ['input', listField, String(i), 'householdId']);
  });
}

function addMembers(
  em: EntityManager,
  clanId: string,
  members: { householdId: string; branchName?: string | null }[],
  branches: ClanBranch[],
  listField: string,
) {
  const byName = new Map(branches.map((b) => [b.name, b]));
  members.forEach((m, i) => {
    const b = m.branchName ? byName.get(m.branchName) : null;
    if (m.branchName && !b)
      throw badInput(`Dòng họ không có chi ${m.branchName}`, 'BRANCH_NOT_FOUND', ['input', listField, String(i), 'branchName']);
    const link = new ClanHousehold();
    Object.assign(link, { clanId, householdId: m.householdId, branchId: b?.id ?? null });
    em.persist(link);
  });
}

function uniqueNames(names: string[], field: string) {
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (seen.has(n)) throw badInput(`Chi ${n} bị trùng`, 'DUPLICATE_BRANCH', ['input', field, String(i), 'name']);
    seen.add(n);
  });
}
function uniqueHouseholds(members: { householdId: string }[], field: string, existing: Set<string> = new Set()) {
  const seen = new Set(existing);
  members.forEach((m, i) => {
    if (seen.has(m.householdId))
      throw badInput('Hộ gia đình đã thuộc dòng họ', 'DUPLICATE_HOUSEHOLD', ['input', field, String(i), 'householdId']);
    seen.add(m.householdId);
  });
}

/** Registers a clan in a commune with its branches and member households (which may live in other communes). */
export async function registerClan(
  em: EntityManager,
  input: z.infer<typeof registerClanInput>,
  actor: string,
): Promise<{ result: Clan; events: CloudEvent[] }> {
  await requireLivingUnit(em, input.unitId, todayInVietnam(), ['COMMUNE'], ['input', 'unitId']);
  await requireCodeFree(em, input.unitId, input.code);
  uniqueNames(
    input.branches.map((b) => b.name),
    'branches',
  );
  uniqueHouseholds(input.households, 'households');
  await requireBranchUnits(em, input.branches, 'branches');
  await requireHouseholds(em, input.households, 'households');
  const c = new Clan();
  Object.assign(c, {
    id: randomUUID(),
    unitId: input.unitId,
    code: input.code,
    name: input.name,
    nameFolded: foldVietnamese(input.name),
    createdBy: actor,
    updatedBy: actor,
  });
  em.persist(c);
  const branches = input.branches.map((b) =>
    Object.assign(new ClanBranch(), { id: randomUUID(), clanId: c.id, name: b.name, unitId: b.unitId ?? null }),
  );
  branches.forEach((b) => em.persist(b));
  addMembers(em, c.id, input.households, branches, 'households');
  await em.flush();
  return { result: c, events: [newEvent(CLAN_REGISTERED, c.id, await eventData(em, c))] };
}

export async function updateClan(
  em: EntityManager,
  input: z.infer<typeof updateClanInput>,
  actor: string,
): Promise<{ result: Clan; events: CloudEvent[] }> {
  const c = await em.findOne(Clan, { id: input.id });
  if (!c) throw notFound('Không tìm thấy dòng họ', 'CLAN_NOT_FOUND', ['input', 'id']);
  if (input.code !== undefined && input.code !== c.code) await requireCodeFree(em, c.unitId, input.code, c.id);
  const branches = await em.find(ClanBranch, { clanId: c.id });
  const links = await em.find(ClanHousehold, { clanId: c.id });

  input.removeBranchIds.forEach((id, i) => {
    if (!branches.some((b) => b.id === id))
      throw badInput('Dòng họ không có chi này', 'BRANCH_NOT_FOUND', ['input', 'removeBranchIds', String(i)]);
  });
  input.removeHouseholdIds.forEach((id, i) => {
    if (!links.some((l) => l.householdId === id))
      throw badInput('Hộ gia đình không thuộc dòng họ', 'NOT_A_MEMBER', ['input', 'removeHouseholdIds', String(i)]);
  });
  const kept = branches.filter((b) => !input.removeBranchIds.includes(b.id));
  uniqueNames([...kept.map((b) => b.name), ...input.addBranches.map((b) => b.name)], 'addBranches');
  const keptLinks = links.filter((l) => !input.removeHouseholdIds.includes(l.householdId));
  uniqueHouseholds(input.addHouseholds, 'addHouseholds', new Set(keptLinks.map((l) => l.householdId)));
  await requireBranchUnits(em, input.addBranches, 'addBranches');
  await requireHouseholds(em, input.addHouseholds, 'addHouseholds');

  // members of a removed branch stay in the clan without a branch
  for (const l of keptLinks) if (l.branchId && input.removeBranchIds.includes(l.branchId)) l.branchId = null;
  for (const l of links) if (input.removeHouseholdIds.includes(l.householdId)) em.remove(l);
  await em.flush();
  for (const b of branches) if (input.removeBranchIds.includes(b.id)) em.remove(b);
  const added = input.addBranches.map((b) =>
    Object.assign(new ClanBranch(), { id: randomUUID(), clanId: c.id, name: b.name, unitId: b.unitId ?? null }),
  );
  added.forEach((b) => em.persist(b));
  addMembers(em, c.id, input.addHouseholds, [...kept, ...added], 'addHouseholds');
  if (input.code !== undefined) c.code = input.code;
  if (input.name !== undefined) {
    c.name = input.name;
    c.nameFolded = foldVietnamese(input.name);
  }
  c.updatedBy = actor;
  c.updatedAt = new Date();
  await em.flush();
  return { result: c, events: [newEvent(CLAN_UPDATED, c.id, await eventData(em, c))] };
}
