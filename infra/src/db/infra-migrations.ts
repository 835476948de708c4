import { Migration } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';

/** Outbox and inbox tables: the same in every service's database. */
class Migration20261123000000InfraMessaging extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table outbox (
      seq bigserial not null unique,
      id uuid primary key,
      topic text not null,
      message_key text not null,
      event_type text not null,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      sent_at timestamptz null,
      attempts int not null default 0,
      last_error text null
    )`);
    this.addSql('create index outbox_unsent_idx on outbox (seq) where sent_at is null');
    this.addSql(`create table inbox (
      consumer_group text not null,
      event_id text not null,
      event_type text null,
      topic text not null,
      partition int not null,
      "offset" bigint not null,
      status text not null check (status in ('processed', 'dead_lettered')),
      processed_at timestamptz not null default now(),
      primary key (consumer_group, event_id)
    )`);
    this.addSql(`create table inbox_failure (
      consumer_group text not null,
      event_id text not null,
      attempts int not null,
      last_error text not null,
      first_failed_at timestamptz not null default now(),
      last_failed_at timestamptz not null default now(),
      primary key (consumer_group, event_id)
    )`);
  }
  override async down(): Promise<void> {
    this.addSql('drop table if exists inbox_failure');
    this.addSql('drop table if exists inbox');
    this.addSql('drop table if exists outbox');
  }
}

/**
 * `seq` comes from its own sequence, so it is unique by construction; its unique index cost every
 * staged event one more index insert (the relay reads by the partial unsent index).
 */
class Migration20261125000000OutboxSeqIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table outbox drop constraint if exists outbox_seq_key');
  }
  override async down(): Promise<void> {
    this.addSql('alter table outbox add constraint outbox_seq_key unique (seq)');
  }
}

/**
 * One outbox row may hold a whole batch of events (bulk writers): `batch` is true, `payload` is an
 * `OutboxBatchPayload` (each type's envelope once, then each event's id, subject, type and data),
 * all for `topic`, and `event_count` says how many; the relay sends them as one message each.
 * `outbox_event` shows every staged event as one row, with its whole CloudEvent, either way.
 */
class Migration20261201000000OutboxBatchRows extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table outbox add column batch boolean not null default false');
    this.addSql('alter table outbox add column event_count int not null default 1 check (event_count > 0)');
    this.addSql('alter table outbox alter column message_key drop not null');
    // a batch row's payload is written once and read once: compressing it cost more than writing it
    this.addSql('alter table outbox alter column payload set storage external');
    this.addSql(`create view outbox_event as
      select o.seq, 1::bigint as ord, o.id, o.topic, o.message_key, o.event_type, o.payload, o.created_at, o.sent_at, o.id as outbox_id
      from outbox o where not o.batch
      union all
      select o.seq, e.ord, (e.item ->> 0)::uuid, o.topic, e.item ->> 1, e.item ->> 2,
        (o.payload -> 'envelopes' -> (e.item ->> 2)) || jsonb_build_object('id', e.item -> 0, 'subject', e.item -> 1, 'data', e.item -> 3),
        o.created_at, o.sent_at, o.id
      from outbox o cross join lateral jsonb_array_elements(o.payload -> 'events') with ordinality as e(item, ord)
      where o.batch`);
  }
  override async down(): Promise<void> {
    // batch rows become one row per event again (after the rows already there), so none is lost
    this.addSql(`insert into outbox (id, topic, message_key, event_type, payload, created_at, sent_at)
      select id, topic, message_key, event_type, payload, created_at, sent_at from outbox_event
      where outbox_id in (select id from outbox where batch) order by seq, ord`);
    this.addSql('delete from outbox where batch');
    this.addSql('drop view if exists outbox_event');
    this.addSql('alter table outbox alter column payload set storage extended');
    this.addSql('alter table outbox alter column message_key set not null');
    this.addSql('alter table outbox drop column event_count');
    this.addSql('alter table outbox drop column batch');
  }
}

export const infraMigrations: MigrationObject[] = [
  { name: 'Migration20261123000000InfraMessaging', class: Migration20261123000000InfraMessaging },
  { name: 'Migration20261125000000OutboxSeqIndex', class: Migration20261125000000OutboxSeqIndex },
  { name: 'Migration20261201000000OutboxBatchRows', class: Migration20261201000000OutboxBatchRows },
];
