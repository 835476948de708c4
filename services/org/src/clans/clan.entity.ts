import { EntitySchema } from '@mikro-orm/core';
import { Audited, auditedProperties } from '@xhht/infra';

/** A clan (dòng họ), registered in a commune; its households may live in other villages and communes. */
export class Clan extends Audited {
  id!: string;
  unitId!: string;
  code!: string;
  name!: string;
  nameFolded!: string;
}

export class ClanBranch {
  id!: string;
  clanId!: string;
  name!: string;
  unitId?: string | null;
}

export class ClanHousehold {
  clanId!: string;
  householdId!: string;
  branchId?: string | null;
}

export const ClanSchema = new EntitySchema<Clan>({
  class: Clan,
  tableName: 'clan',
  properties: {
    id: { type: 'uuid', primary: true },
    unitId: { type: 'uuid', fieldName: 'unit_id' },
    code: { type: 'text' },
    name: { type: 'text' },
    nameFolded: { type: 'text', fieldName: 'name_folded' },
    ...auditedProperties,
  },
});

export const ClanBranchSchema = new EntitySchema<ClanBranch>({
  class: ClanBranch,
  tableName: 'clan_branch',
  properties: {
    id: { type: 'uuid', primary: true },
    clanId: { type: 'uuid', fieldName: 'clan_id' },
    name: { type: 'text' },
    unitId: { type: 'uuid', fieldName: 'unit_id', nullable: true },
  },
});

export const ClanHouseholdSchema = new EntitySchema<ClanHousehold>({
  class: ClanHousehold,
  tableName: 'clan_household',
  properties: {
    clanId: { type: 'uuid', fieldName: 'clan_id', primary: true },
    householdId: { type: 'uuid', fieldName: 'household_id', primary: true },
    branchId: { type: 'uuid', fieldName: 'branch_id', nullable: true },
  },
});
