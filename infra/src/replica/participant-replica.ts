import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CloudEvent } from '../events/cloud-event';
import type { InboxHandler } from '../inbox/consumer';
import { rawQuery } from '../db/raw-query';
import { uuidArray } from '../db/sql-arrays';

/**
 * A service's local copy of org's participants (households, persons, clans with their member
 * households, organizations), built from org's events alone. Every participant event carries the
 * participant's whole state (without personal data: no names of people), so the newest event per
 * participant wins, an older one arriving late changes nothing, and redelivery changes nothing.
 */
export type ParticipantKind = 'HOUSEHOLD' | 'PERSON' | 'CLAN' | 'ORGANIZATION';

export interface ParticipantRef {
  id: string;
  kind: ParticipantKind;
  /** The unit the participant is registered in today (a village or commune; a clan's home commune). */
  unitId: string;
  code: string;
  /** Clans and organizations only: a person's or household's name is personal data and never travels in events. */
  name: string | null;
  organizationType: string | null;
  /** An organization's parent organization. */
  parentId: string | null;
  householdId: string | null;
  workplaceId: string | null;
  occupationalGroup: string | null;
}

class Migration20261202000100ParticipantReplica extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table participant_replica (
      id uuid primary key,
      kind text not null check (kind in ('HOUSEHOLD','PERSON','CLAN','ORGANIZATION')),
      unit_id uuid not null,
      code text not null,
      name text null,
      organization_type text null,
      parent_id uuid null,
      household_id uuid null,
      workplace_id uuid null,
      occupational_group text null,
      birth_year int null,
      sex text null,
      source_time timestamptz not null
    )`);
    this.addSql('create index participant_replica_unit_idx on participant_replica (unit_id, kind)');
    this.addSql(`create table clan_household_replica (
      clan_id uuid not null,
      household_id uuid not null,
      branch_id uuid null,
      primary key (clan_id, household_id)
    )`);
    this.addSql('create index clan_household_replica_household_idx on clan_household_replica (household_id)');
  }
  override async down(): Promise<void> {
    this.addSql('drop table if exists clan_household_replica');
    this.addSql('drop table if exists participant_replica');
  }
}

export const participantReplicaMigrations: MigrationObject[] = [
  { name: 'Migration20261202000100ParticipantReplica', class: Migration20261202000100ParticipantReplica },
];

// ---- the contract: org's participant events (schemas in schema/events) ----

const PARTICIPANT_EVENTS: Record<string, ParticipantKind> = {};
for (const [aggregate, kind] of [
  ['household', 'HOUSEHOLD'],
  ['person', 'PERSON'],
  ['clan', 'CLAN'],
  ['organization', 'ORGANIZATION'],
] as const) {
  for (const verb of ['registered', 'updated', 'moved']) PARTICIPANT_EVENTS[`vn.xhht.org.${aggregate}.${verb}.v1`] = kind;
}

/** The fields of org's participant payloads the replica keeps (each payload carries more or fewer by kind). */
interface ParticipantPayload {
  id: string;
  unitId: string;
  code: string;
  name?: string;
  type?: string;
  parentId?: string | null;
  householdId?: string | null;
  workplaceId?: string | null;
  occupationalGroup?: string;
  birthYear?: number;
  sex?: string;
  households?: { householdId: string; branchId: string | null }[];
}

/**
 * Applies participant events in the order given with a few statements for all of them: per
 * participant only the newest event counts (the later one given when times are equal), and only
 * if no newer state is here already. A clan's member list is replaced with the one it carries.
 */
export async function applyParticipantEvents(events: CloudEvent<unknown>[], em: EntityManager): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((event, ord) => {
    const kind = PARTICIPANT_EVENTS[event.type];
    if (!kind) throw new Error(`not a participant event: ${event.type}`);
    const d = event.data as ParticipantPayload;
    return {
      ord,
      id: d.id,
      kind,
      unitId: d.unitId,
      code: d.code,
      name: kind === 'CLAN' || kind === 'ORGANIZATION' ? (d.name ?? null) : null,
      organizationType: d.type ?? null,
      parentId: d.parentId ?? null,
      householdId: d.householdId ?? null,
      workplaceId: d.workplaceId ?? null,
      occupationalGroup: d.occupationalGroup ?? null,
      birthYear: d.birthYear ?? null,
      sex: d.sex ?? null,
      sourceTime: event.time,
      households: kind === 'CLAN' ? (d.households ?? []) : null,
    };
  });
  const json = JSON.stringify(rows);
  const newest = `select distinct on (s.id) s.*
    from jsonb_to_recordset(?::jsonb) as s(ord int, id uuid, kind text, "unitId" uuid, code text, name text,
      "organizationType" text, "parentId" uuid, "householdId" uuid, "workplaceId" uuid, "occupationalGroup" text,
      "birthYear" int, sex text, "sourceTime" timestamptz, households jsonb)
    order by s.id, s."sourceTime" desc, s.ord desc`;
  const applied = await rawQuery<{ id: string }[]>(
    em,
    `insert into participant_replica (id, kind, unit_id, code, name, organization_type, parent_id, household_id,
       workplace_id, occupational_group, birth_year, sex, source_time)
     select id, kind, "unitId", code, name, "organizationType", "parentId", "householdId", "workplaceId",
       "occupationalGroup", "birthYear", sex, "sourceTime" from (${newest}) n
     on conflict (id) do update set unit_id = excluded.unit_id, code = excluded.code, name = excluded.name,
       organization_type = excluded.organization_type, parent_id = excluded.parent_id,
       household_id = excluded.household_id, workplace_id = excluded.workplace_id,
       occupational_group = excluded.occupational_group, birth_year = excluded.birth_year, sex = excluded.sex,
       source_time = excluded.source_time
     where participant_replica.source_time <= excluded.source_time
     returning id`,
    [json],
  );
  const clans = rows.filter((r) => r.kind === 'CLAN');
  if (clans.length === 0 || applied.length === 0) return;
  const appliedIds = uuidArray(applied.map((r) => r.id));
  await rawQuery(em, 'delete from clan_household_replica where clan_id = any(?::uuid[])', [appliedIds]);
  await rawQuery(
    em,
    `insert into clan_household_replica (clan_id, household_id, branch_id)
     select n.id, m."householdId", m."branchId"
     from (${newest}) n
     cross join lateral jsonb_to_recordset(n.households) as m("householdId" uuid, "branchId" uuid)
     where n.kind = 'CLAN' and n.id = any(?::uuid[])
     on conflict do nothing`,
    [json, appliedIds],
  );
}

const replicaHandler: InboxHandler = { one: (event, em) => applyParticipantEvents([event], em), many: applyParticipantEvents };

/** Handlers a service registers to keep its participant replica current; one batch form for every type. */
export const participantReplicaHandlers: Record<string, InboxHandler> = Object.fromEntries(
  Object.keys(PARTICIPANT_EVENTS).map((type) => [type, replicaHandler]),
);

/** Participants by id, in one query. Unknown ids are absent from the map. */
export async function findParticipants(em: EntityManager, ids: readonly string[]): Promise<Map<string, ParticipantRef>> {
  const out = new Map<string, ParticipantRef>();
  if (ids.length === 0) return out;
  const rows = await rawQuery<
    {
      id: string;
      kind: ParticipantKind;
      unit_id: string;
      code: string;
      name: string | null;
      organization_type: string | null;
      parent_id: string | null;
      household_id: string | null;
      workplace_id: string | null;
      occupational_group: string | null;
    }[]
  >(
    em,
    `select id, kind, unit_id, code, name, organization_type, parent_id, household_id, workplace_id, occupational_group
     from participant_replica where id = any(?::uuid[])`,
    [uuidArray([...new Set(ids)])],
  );
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      kind: r.kind,
      unitId: r.unit_id,
      code: r.code,
      name: r.name,
      organizationType: r.organization_type,
      parentId: r.parent_id,
      householdId: r.household_id,
      workplaceId: r.workplace_id,
      occupationalGroup: r.occupational_group,
    });
  }
  return out;
}
