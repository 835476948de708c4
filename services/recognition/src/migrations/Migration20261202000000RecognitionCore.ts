import { Migration } from '@mikro-orm/migrations';

/**
 * The two tables every part of recognition meets at: a cycle (one title, one year, one deciding
 * unit, its deadlines) and the assessments registered in it. Criteria sets, scores, evidence,
 * decisions and recognitions hang off these in their own modules' tables.
 */
export class Migration20261202000000RecognitionCore extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table recognition_cycle (
      id uuid primary key,
      year int not null check (year between 2000 and 2100),
      title text not null check (title in ('LEARNING_FAMILY','LEARNING_CLAN','LEARNING_COMMUNITY','LEARNING_UNIT','LEARNING_CITIZEN')),
      -- what is assessed: HOUSEHOLD, CLAN, PERSON, ORGANIZATION, or the unit kind VILLAGE / COMMUNE / DISTRICT / PROVINCE
      subject_level text not null,
      name text not null,
      -- the unit whose authority decides (e.g. the commune for Learning Families since 2025-07-01)
      deciding_unit_id uuid not null,
      authority_rule_id uuid null,
      criteria_set_id uuid null,
      submission_deadline date not null,
      decision_deadline date not null check (decision_deadline >= submission_deadline),
      validity_months int not null default 36 check (validity_months between 1 and 120),
      created_at timestamptz not null default now(),
      created_by text not null,
      unique (year, title, subject_level, deciding_unit_id)
    )`);
    this.addSql(`create table assessment (
      id uuid primary key,
      cycle_id uuid not null references recognition_cycle (id),
      subject_kind text not null check (subject_kind in ('HOUSEHOLD','CLAN','PERSON','ORGANIZATION','ADMIN_UNIT')),
      subject_id uuid not null,
      -- where the subject was when it registered; scope checks follow it through merges
      subject_unit_id uuid not null,
      criteria_set_id uuid not null,
      status text not null default 'REGISTERED'
        check (status in ('REGISTERED','DRAFT','SELF_ASSESSED','SUBMITTED','UNDER_REVIEW','RETURNED','APPROVED','REJECTED')),
      -- the computed result once evaluated: ACHIEVED (titles without levels), LEVEL_1, LEVEL_2; null = not achieved
      result_level text null check (result_level in ('ACHIEVED','LEVEL_1','LEVEL_2')),
      total_points numeric null,
      submitted_at timestamptz null,
      late boolean not null default false,
      version int not null default 1,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      unique (cycle_id, subject_id)
    )`);
    this.addSql('create index assessment_subject_idx on assessment (subject_id)');
    this.addSql('create index assessment_cycle_status_idx on assessment (cycle_id, status)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists assessment');
    this.addSql('drop table if exists recognition_cycle');
  }
}
