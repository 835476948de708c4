import { Migration } from '@mikro-orm/migrations';

/**
 * Awards' replica of reporting's judgements of a unit's year against its targets (targets.judged):
 * one row per unit and year, the highest version reporting published. A redelivered or older
 * judgement arriving late changes nothing.
 */
export class Migration20261226000000TargetsResults extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table award_targets_result (
      unit_id uuid not null,
      year int not null,
      version int not null,
      outcome text not null,
      indicators jsonb not null,
      as_of date not null,
      judged_at timestamptz not null,
      request_id uuid not null,
      submission_id uuid not null,
      updated_at timestamptz not null default now(),
      primary key (unit_id, year)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists award_targets_result');
  }
}
