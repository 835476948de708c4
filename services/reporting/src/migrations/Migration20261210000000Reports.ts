import { Migration } from '@mikro-orm/migrations';

/**
 * Report requests, the reporters each expects (fixed when the request is made, so the reporting
 * rate keeps its denominator when the hierarchy changes later), one submission per request and
 * reporter, and every step a submission took.
 */
export class Migration20261210000000Reports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table report_request (
      id uuid primary key,
      kind text not null check (kind in ('ANNUAL_REPORT','YEARLY_PLAN')),
      year int not null,
      title text not null,
      period_start date not null,
      period_end date not null check (period_end >= period_start),
      requesting_unit_id uuid not null,
      requesting_organization_id uuid null,
      association boolean not null default false,
      due_date date not null,
      sections jsonb not null,
      created_at timestamptz not null,
      created_by text not null
    )`);
    this.addSql('create index report_request_unit_idx on report_request (requesting_unit_id, year)');
    this.addSql('create index report_request_due_idx on report_request (due_date)');
    this.addSql(`create table report_reporter (
      request_id uuid not null references report_request (id),
      reporter_id uuid not null,
      reporter_kind text not null check (reporter_kind in ('UNIT','ORGANIZATION')),
      level text not null,
      unit_id uuid not null,
      overdue_at timestamptz null,
      primary key (request_id, reporter_id)
    )`);
    this.addSql('create index report_reporter_unit_idx on report_reporter (unit_id)');
    this.addSql(`create table report_submission (
      id uuid primary key,
      request_id uuid not null,
      reporter_id uuid not null,
      status text not null check (status in ('DRAFT','SUBMITTED','ACCEPTED','RETURNED')),
      version int not null,
      sections jsonb not null,
      figures jsonb not null,
      figures_as_of date not null,
      first_submitted_at timestamptz null,
      submitted_at timestamptz null,
      return_reason text null,
      created_at timestamptz not null,
      created_by text not null,
      updated_at timestamptz not null,
      updated_by text not null,
      unique (request_id, reporter_id),
      foreign key (request_id, reporter_id) references report_reporter (request_id, reporter_id)
    )`);
    this.addSql(`create table report_submission_transition (
      id uuid primary key,
      submission_id uuid not null references report_submission (id),
      from_status text null,
      to_status text not null,
      reason text null,
      at timestamptz not null,
      by text not null
    )`);
    this.addSql('create index report_submission_transition_idx on report_submission_transition (submission_id, at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists report_submission_transition');
    this.addSql('drop table if exists report_submission');
    this.addSql('drop table if exists report_reporter');
    this.addSql('drop table if exists report_request');
  }
}
