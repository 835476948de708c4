import { Migration } from '@mikro-orm/migrations';

/**
 * Awards' replica of recognition's titles (eligibility draws on them): one row per recognition, from
 * recognition's granted / revoked / expired events. Revoked and expired only ever become true; the
 * decision's facts come with the grant, so a revocation arriving before its grant leaves them null until then.
 */
export class Migration20261220010000RecognitionReplica extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table award_recognition (
      recognition_id uuid primary key,
      subject_kind text not null,
      subject_id uuid not null,
      title text not null,
      level text not null,
      year int not null,
      valid_from date null,
      valid_to date null,
      revoked boolean not null default false,
      revoked_on date null,
      revocation_reason text null,
      expired boolean not null default false,
      decision_id uuid not null,
      decision_number text null,
      decision_date date null,
      deciding_unit_id uuid null,
      updated_at timestamptz not null default now()
    )`);
    this.addSql('create index award_recognition_subject_idx on award_recognition (subject_id, title, year)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists award_recognition');
  }
}
