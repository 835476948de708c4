import { EntitySchema, type MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CloudEvent } from '../events/cloud-event';
import type { EventHandler } from '../inbox/consumer';

/**
 * A service's local copy of the administrative hierarchy, built from org's events
 * (event-carried state transfer), so it can answer and authorize without calling org.
 */
export class AdminUnitReplica {
  id!: string;
  code!: string;
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

export const adminUnitReplicaMigrations: MigrationObject[] = [
  { name: 'Migration20261123000100AdminUnitReplica', class: Migration20261123000100AdminUnitReplica },
];

export interface AdminUnitCreatedData {
  id: string;
  code: string;
  name: string;
  kind: string;
  parentId: string | null;
  validFrom: string;
  validTo: string | null;
}

export const ADMIN_UNIT_CREATED = 'vn.xhht.org.admin-unit.created.v1';

/** Applies an AdminUnitCreated event to the replica; returns true when the unit is new here. */
export async function applyAdminUnitCreated(event: CloudEvent<AdminUnitCreatedData>, em: EntityManager): Promise<boolean> {
  const d = event.data;
  const rows = await em.execute<{ inserted: boolean }[]>(
    `insert into admin_unit_replica (id, code, name, kind, parent_id, valid_from, valid_to, source_time)
     values (?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (id) do update set code = excluded.code, name = excluded.name, kind = excluded.kind,
       parent_id = excluded.parent_id, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
       source_time = excluded.source_time
     where admin_unit_replica.source_time <= excluded.source_time
     returning (xmax = 0) as inserted`,
    [d.id, d.code, d.name, d.kind, d.parentId, d.validFrom, d.validTo, event.time],
  );
  return rows[0]?.inserted === true;
}

/** Handlers a service registers to keep the replica current. */
export const adminUnitReplicaHandlers: Record<string, EventHandler> = {
  [ADMIN_UNIT_CREATED]: async (event, em) => {
    await applyAdminUnitCreated(event as CloudEvent<AdminUnitCreatedData>, em);
  },
};
