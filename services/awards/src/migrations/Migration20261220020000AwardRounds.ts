import { Migration } from '@mikro-orm/migrations';

/**
 * Award rounds: a scope unit, a kind, a year, deadlines, and per form its quota and eligibility rules
 * (forms: a JSON list of {formCode, quota, rules}, validated on write). Status DRAFT → OPEN → CLOSED;
 * who created, last changed, opened and closed it is kept on the row.
 */
export class Migration20261220020000AwardRounds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table award_round (
      id uuid primary key,
      scope_unit_id uuid not null,
      kind text not null check (kind in ('ANNUAL','INTERIM_REVIEW_2025','FINAL_REVIEW_2030','AD_HOC')),
      year int not null check (year between 2000 and 2100),
      name text not null,
      status text not null default 'DRAFT' check (status in ('DRAFT','OPEN','CLOSED')),
      nomination_deadline date not null,
      decision_deadline date not null check (decision_deadline >= nomination_deadline),
      forms jsonb not null default '[]'::jsonb,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      opened_at timestamptz null,
      opened_by text null,
      closed_at timestamptz null,
      closed_by text null
    )`);
    this.addSql('create index award_round_scope_idx on award_round (scope_unit_id, year)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists award_round');
  }
}
