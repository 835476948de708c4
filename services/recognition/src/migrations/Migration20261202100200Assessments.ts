import { Migration } from '@mikro-orm/migrations';

/**
 * The assessment workflow's own tables, beside the core `assessment` row: the score of each
 * indicator (the subject's self-assessment and the reviewer's, each with a comment) and every
 * status change (who, when, from, to, why). The evaluated result's explanation and the reviewer
 * who took the dossier are kept on the assessment.
 */
export class Migration20261202100200Assessments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table assessment
      add column explanation jsonb null,
      add column reviewer text null,
      add column first_submitted_at timestamptz null`);
    this.addSql(`create table assessment_score (
      assessment_id uuid not null references assessment (id),
      indicator_code text not null,
      -- points, or 1 / 0 for a pass/fail indicator; null = not scored
      self_points double precision null check (self_points >= 0),
      self_comment text null,
      self_scored_at timestamptz null,
      self_scored_by text null,
      review_points double precision null check (review_points >= 0),
      review_comment text null,
      reviewed_at timestamptz null,
      reviewed_by text null,
      primary key (assessment_id, indicator_code)
    )`);
    this.addSql(`create table assessment_transition (
      id uuid primary key,
      assessment_id uuid not null references assessment (id),
      from_status text null,
      to_status text not null,
      reason_code text null,
      reason text null,
      at timestamptz not null default now(),
      by text not null
    )`);
    this.addSql('create index assessment_transition_assessment_idx on assessment_transition (assessment_id, at)');
    this.addSql('create index assessment_subject_unit_idx on assessment (subject_unit_id)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists assessment_transition');
    this.addSql('drop table if exists assessment_score');
    this.addSql('alter table assessment drop column explanation, drop column reviewer, drop column first_submitted_at');
  }
}
