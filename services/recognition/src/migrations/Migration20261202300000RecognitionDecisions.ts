import { Migration } from '@mikro-orm/migrations';

/**
 * Recognition decisions (quyết định công nhận) and the recognitions they grant. A decision belongs
 * to one cycle; its number is unique per deciding unit and year. A recognition is valid from the
 * decision date for the cycle's validity period; a subject holds at most one active recognition
 * per title and year. Rows are written set-based: one decision may hold 100,000 households.
 */
export class Migration20261202300000RecognitionDecisions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table recognition_decision (
      id uuid primary key,
      cycle_id uuid not null references recognition_cycle (id),
      number text not null check (length(number) between 1 and 50),
      decision_date date not null,
      decision_year int not null,
      signer_name text not null,
      signer_title text not null,
      deciding_unit_id uuid not null,
      title text not null,
      year int not null,
      -- issued after the cycle's decision deadline: flagged, not refused
      late boolean not null default false,
      recognition_count int not null default 0,
      -- recognitions per level, e.g. {"LEVEL_1": 12, "LEVEL_2": 3}
      level_counts jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      created_by text not null,
      unique (deciding_unit_id, decision_year, number),
      check (decision_year = extract(year from decision_date))
    )`);
    this.addSql('create index recognition_decision_cycle_idx on recognition_decision (cycle_id, decision_date)');
    this.addSql(`create table recognition (
      id uuid primary key,
      -- no foreign keys on the two ids: a decision writes up to 100,000 rows in one statement, and
      -- checking both per row cost a fifth of it; both come from rows the same statement reads
      decision_id uuid not null,
      assessment_id uuid not null,
      subject_kind text not null check (subject_kind in ('HOUSEHOLD','CLAN','PERSON','ORGANIZATION','ADMIN_UNIT')),
      subject_id uuid not null,
      -- where the subject was assessed; lists follow the subject's current unit from the replica
      subject_unit_id uuid not null,
      title text not null,
      level text not null check (level in ('ACHIEVED','LEVEL_1','LEVEL_2')),
      year int not null,
      valid_from date not null,
      valid_to date not null check (valid_to >= valid_from),
      status text not null default 'ACTIVE' check (status in ('ACTIVE','REVOKED','EXPIRED')),
      revoked_reason text null,
      revoked_by text null,
      revoked_at timestamptz null,
      expired_at timestamptz null,
      created_at timestamptz not null default now(),
      created_by text not null,
      check ((status = 'REVOKED') = (revoked_at is not null)),
      check ((status = 'EXPIRED') = (expired_at is not null))
    )`);
    this.addSql(`create unique index recognition_one_active_uq on recognition (subject_id, title, year) where status = 'ACTIVE'`);
    this.addSql('create index recognition_decision_idx on recognition (decision_id)');
    this.addSql('create index recognition_subject_idx on recognition (subject_id)');
    // the expiry sweeper's scan
    this.addSql(`create index recognition_active_valid_to_idx on recognition (valid_to) where status = 'ACTIVE'`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists recognition');
    this.addSql('drop table if exists recognition_decision');
  }
}
