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

export const infraMigrations: MigrationObject[] = [
  { name: 'Migration20261123000000InfraMessaging', class: Migration20261123000000InfraMessaging },
  { name: 'Migration20261125000000OutboxSeqIndex', class: Migration20261125000000OutboxSeqIndex },
];
