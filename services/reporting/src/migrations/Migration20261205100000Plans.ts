import { Migration } from '@mikro-orm/migrations';

/** Plans (one number per issuing unit) and their targets (one per plan, indicator, unit and year). */
export class Migration20261205100000Plans extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table reporting_plan (
      id uuid primary key,
      number text not null,
      issued_on date not null,
      issuing_unit_id uuid not null,
      organization_id uuid null,
      parent_plan_id uuid null references reporting_plan (id),
      title text null,
      start_year int not null,
      end_year int not null check (end_year >= start_year),
      phases jsonb not null,
      created_at timestamptz not null,
      created_by text not null,
      unique (issuing_unit_id, number)
    )`);
    this.addSql('create index reporting_plan_parent_idx on reporting_plan (parent_plan_id)');
    this.addSql(`create table reporting_plan_target (
      id uuid primary key,
      plan_id uuid not null references reporting_plan (id),
      indicator text not null,
      unit_id uuid not null,
      year int not null,
      percentage numeric(5,2) not null check (percentage >= 0 and percentage <= 100),
      set_at timestamptz not null,
      set_by text not null,
      unique (plan_id, indicator, unit_id, year)
    )`);
    this.addSql('create index reporting_plan_target_unit_idx on reporting_plan_target (unit_id, year)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists reporting_plan_target');
    this.addSql('drop table if exists reporting_plan');
  }
}
