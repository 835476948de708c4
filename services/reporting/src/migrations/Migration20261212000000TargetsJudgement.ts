import { Migration } from '@mikro-orm/migrations';

/**
 * The latest judgement of each unit's year against its targets, made when the unit's annual report
 * for that year is accepted. `version` counts the judgements of a unit's year (a later accepted
 * report judges it again); the row lock of the upsert orders concurrent ones, so consumers can keep
 * the highest version whatever order the events reach them in.
 */
export class Migration20261212000000TargetsJudgement extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table unit_targets_judgement (
      unit_id uuid not null,
      year int not null,
      version int not null check (version >= 1),
      outcome text not null check (outcome in ('MET','NOT_MET','NO_TARGETS')),
      indicators jsonb not null,
      as_of date not null,
      judged_at timestamptz not null,
      request_id uuid not null,
      submission_id uuid not null,
      primary key (unit_id, year)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists unit_targets_judgement');
  }
}
