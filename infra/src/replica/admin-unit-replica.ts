import { EntitySchema, type MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CloudEvent } from '../events/cloud-event';
import type { InboxHandler } from '../inbox/consumer';
import { rawQuery } from '../db/raw-query';
import { uuidArray } from '../db/sql-arrays';

/**
 * A service's local copy of the administrative hierarchy with its history, built from org's
 * events alone (event-carried state transfer), so it can answer "as of D" and authorize without
 * calling org. Every hierarchy event carries the whole resulting state of the units it touched,
 * so applying them in any order converges, and redelivery changes nothing.
 */
export class AdminUnitReplica {
  id!: string;
  code!: string;
  /** Name, kind and parent of the unit's latest version, for callers that only need today. */
  name!: string;
  kind!: string;
  parentId?: string | null;
  validFrom!: string;
  validTo?: string | null;
  /** Time of the last event applied, so an older event arriving late never overwrites a newer state. */
  sourceTime!: Date;
}

export const AdminUnitReplicaSchema = new EntitySchema<AdminUnitReplica>({
  class: AdminUnitReplica,
  tableName: 'admin_unit_replica',
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'text' },
    name: { type: 'text' },
    kind: { type: 'text' },
    parentId: { type: 'uuid', fieldName: 'parent_id', nullable: true },
    validFrom: { type: 'date', fieldName: 'valid_from' },
    validTo: { type: 'date', fieldName: 'valid_to', nullable: true },
    sourceTime: { type: 'Date', fieldName: 'source_time' },
  },
});

class Migration20261123000100AdminUnitReplica extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table admin_unit_replica (
      id uuid primary key,
      code text not null,
      name text not null,
      kind text not null,
      parent_id uuid null,
      valid_from date not null,
      valid_to date null,
      source_time timestamptz not null
    )`);
    this.addSql('create index admin_unit_replica_parent_idx on admin_unit_replica (parent_id)');
  }
  override async down(): Promise<void> {
    this.addSql('drop table if exists admin_unit_replica');
  }
}

class Migration20261123010100AdminUnitReplicaHistory extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table admin_unit_version_replica (
      unit_id uuid not null,
      valid_from date not null,
      valid_to date null,
      name text not null,
      kind text not null,
      subtype text not null,
      parent_id uuid null,
      primary key (unit_id, valid_from)
    )`);
    this.addSql('create index admin_unit_version_replica_parent_idx on admin_unit_version_replica (parent_id, valid_from)');
    this.addSql(`create table admin_unit_change_replica (
      id uuid primary key,
      type text not null,
      effective_date date not null,
      legal_basis text not null,
      note text null
    )`);
    this.addSql(`create table admin_unit_change_unit_replica (
      change_id uuid not null,
      unit_id uuid not null,
      role text not null,
      partial boolean not null,
      primary key (change_id, unit_id, role)
    )`);
    this.addSql('create index admin_unit_change_unit_replica_unit_idx on admin_unit_change_unit_replica (unit_id)');
    this.addSql(`insert into admin_unit_version_replica (unit_id, valid_from, valid_to, name, kind, subtype, parent_id)
      select id, valid_from, valid_to, name, kind, kind, parent_id from admin_unit_replica`);
  }
  override async down(): Promise<void> {
    this.addSql('drop table if exists admin_unit_change_unit_replica');
    this.addSql('drop table if exists admin_unit_change_replica');
    this.addSql('drop table if exists admin_unit_version_replica');
  }
}

export const adminUnitReplicaMigrations: MigrationObject[] = [
  { name: 'Migration20261123000100AdminUnitReplica', class: Migration20261123000100AdminUnitReplica },
  { name: 'Migration20261123010100AdminUnitReplicaHistory', class: Migration20261123010100AdminUnitReplicaHistory },
];

// ---- the contract: payloads of org's hierarchy events (schemas in schema/events) ----

export const ADMIN_UNIT_CREATED = 'vn.xhht.org.admin-unit.created.v1';

export interface AdminUnitCreatedData {
  id: string;
  code: string;
  name: string;
  kind: string;
  subtype?: string;
  parentId: string | null;
  validFrom: string;
  validTo: string | null;
}

/** One period of a unit's attributes; inclusive dates, validTo null while current. */
export interface AdminUnitVersionData {
  validFrom: string;
  validTo: string | null;
  name: string;
  kind: string;
  subtype: string;
  parentId: string | null;
}

/** A unit's whole state after a change: identity, lifetime and every version. */
export interface AdminUnitSnapshot {
  id: string;
  code: string;
  validFrom: string;
  validTo: string | null;
  versions: AdminUnitVersionData[];
}

export interface AdminUnitChangeData {
  id: string;
  type: 'MERGE' | 'SPLIT' | 'RENAME' | 'RECLASSIFY' | 'MOVE' | 'DISSOLVE';
  effectiveDate: string;
  legalBasis: string;
  note: string | null;
  units: { unitId: string; role: 'PREDECESSOR' | 'SUCCESSOR' | 'SUBJECT'; partial: boolean }[];
}

/** Payload of every hierarchy change event: the change and the resulting state of each unit it touched. */
export interface AdminUnitChangedData {
  change: AdminUnitChangeData;
  units: AdminUnitSnapshot[];
}

/** Event type per change type; all carry AdminUnitChangedData. */
export const ADMIN_UNIT_CHANGE_EVENTS = {
  MERGE: 'vn.xhht.org.admin-unit.merged.v1',
  SPLIT: 'vn.xhht.org.admin-unit.split.v1',
  RENAME: 'vn.xhht.org.admin-unit.renamed.v1',
  RECLASSIFY: 'vn.xhht.org.admin-unit.reclassified.v1',
  MOVE: 'vn.xhht.org.admin-unit.moved.v1',
  DISSOLVE: 'vn.xhht.org.admin-unit.dissolved.v1',
} as const satisfies Record<AdminUnitChangeData['type'], string>;

/**
 * Applies units' whole states in the order given, with one statement per table. Per unit only the
 * newest state counts (the later one given when times are equal), and it is applied unless a newer
 * one is already here.
 */
export async function applyAdminUnitSnapshots(
  em: EntityManager,
  snapshots: { unit: AdminUnitSnapshot; sourceTime: string }[],
): Promise<void> {
  if (snapshots.length === 0) return;
  const rows = JSON.stringify(
    snapshots.map(({ unit, sourceTime }, ord) => {
      const latest = [...unit.versions].sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
      if (!latest) throw new Error(`snapshot of unit ${unit.id} has no version`);
      return {
        ord,
        id: unit.id,
        code: unit.code,
        name: latest.name,
        kind: latest.kind,
        parentId: latest.parentId,
        validFrom: unit.validFrom,
        validTo: unit.validTo,
        sourceTime,
        versions: unit.versions,
      };
    }),
  );
  // the newest state of each unit given; SQL compares the times, at their full precision
  const newest = `select distinct on (s.id) s.*
    from jsonb_to_recordset(?::jsonb) as s(ord int, id uuid, code text, name text, kind text, "parentId" uuid,
      "validFrom" date, "validTo" date, "sourceTime" timestamptz, versions jsonb)
    order by s.id, s."sourceTime" desc, s.ord desc`;
  const applied = await rawQuery<{ id: string }[]>(
    em,
    `insert into admin_unit_replica (id, code, name, kind, parent_id, valid_from, valid_to, source_time)
     select id, code, name, kind, "parentId", "validFrom", "validTo", "sourceTime" from (${newest}) n
     on conflict (id) do update set code = excluded.code, name = excluded.name, kind = excluded.kind,
       parent_id = excluded.parent_id, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
       source_time = excluded.source_time
     where admin_unit_replica.source_time <= excluded.source_time
     returning id`,
    [rows],
  );
  if (applied.length === 0) return; // newer states were already applied
  const ids = uuidArray(applied.map((r) => r.id));
  await rawQuery(em, 'delete from admin_unit_version_replica where unit_id = any(?::uuid[])', [ids]);
  await rawQuery(
    em,
    `insert into admin_unit_version_replica (unit_id, valid_from, valid_to, name, kind, subtype, parent_id)
     select n.id, v."validFrom", v."validTo", v.name, v.kind, v.subtype, v."parentId"
     from (${newest}) n
     cross join lateral jsonb_to_recordset(n.versions)
       as v("validFrom" date, "validTo" date, name text, kind text, subtype text, "parentId" uuid)
     where n.id = any(?::uuid[])`,
    [rows, ids],
  );
}

/** The state an AdminUnitCreated event carries: a unit with its one version. */
const createdSnapshot = (d: AdminUnitCreatedData): AdminUnitSnapshot => ({
  id: d.id,
  code: d.code,
  validFrom: d.validFrom,
  validTo: d.validTo,
  versions: [
    { validFrom: d.validFrom, validTo: d.validTo, name: d.name, kind: d.kind, subtype: d.subtype ?? d.kind, parentId: d.parentId },
  ],
});

const CHANGE_EVENT_TYPES = new Set<string>(Object.values(ADMIN_UNIT_CHANGE_EVENTS));

/**
 * Applies hierarchy events (created and every change) in the order given, with a few statements
 * for all of them: each change is recorded (immutable), and each unit takes the newest state the
 * events carry unless a newer one is already here. One event is a run of one: there is a single
 * way the replica changes.
 */
export async function applyAdminUnitEvents(events: CloudEvent<unknown>[], em: EntityManager): Promise<void> {
  const snapshots: { unit: AdminUnitSnapshot; sourceTime: string }[] = [];
  const changes: AdminUnitChangeData[] = [];
  for (const event of events) {
    if (event.type === ADMIN_UNIT_CREATED) {
      snapshots.push({ unit: createdSnapshot(event.data as AdminUnitCreatedData), sourceTime: event.time });
    } else if (CHANGE_EVENT_TYPES.has(event.type)) {
      const { change, units } = event.data as AdminUnitChangedData;
      changes.push(change);
      for (const unit of units) snapshots.push({ unit, sourceTime: event.time });
    } else {
      throw new Error(`not a hierarchy event: ${event.type}`);
    }
  }
  if (changes.length > 0) {
    await rawQuery(
      em,
      `insert into admin_unit_change_replica (id, type, effective_date, legal_basis, note)
       select id, type, "effectiveDate", "legalBasis", note
       from jsonb_to_recordset(?::jsonb) as c(id uuid, type text, "effectiveDate" date, "legalBasis" text, note text)
       on conflict (id) do nothing`,
      [JSON.stringify(changes.map(({ units: _units, ...change }) => change))],
    );
    await rawQuery(
      em,
      `insert into admin_unit_change_unit_replica (change_id, unit_id, role, partial)
       select "changeId", "unitId", role, partial
       from jsonb_to_recordset(?::jsonb) as u("changeId" uuid, "unitId" uuid, role text, partial boolean)
       on conflict do nothing`,
      [JSON.stringify(changes.flatMap((c) => c.units.map((u) => ({ changeId: c.id, ...u }))))],
    );
  }
  await applyAdminUnitSnapshots(em, snapshots);
}

const replicaHandler: InboxHandler = { one: (event, em) => applyAdminUnitEvents([event], em), many: applyAdminUnitEvents };

/**
 * Handlers a service registers to keep the replica current. Every hierarchy type shares one batch
 * form, so a run of hierarchy events of any types is applied with a few statements.
 */
export const adminUnitReplicaHandlers: Record<string, InboxHandler> = Object.fromEntries(
  [ADMIN_UNIT_CREATED, ...Object.values(ADMIN_UNIT_CHANGE_EVENTS)].map((type) => [type, replicaHandler]),
);
