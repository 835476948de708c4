import { Migration } from '@mikro-orm/migrations';

/**
 * Criteria sets (bộ tiêu chí), versioned by family (`code`): DRAFT → PUBLISHED → RETIRED. The
 * criteria, indicators and level rules are one JSON document (validated by the service on every
 * write); a published or retired set is never changed, an edit is a new version.
 */
export class Migration20261202100000CriteriaSets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table criteria_set (
      id uuid primary key,
      code text not null,
      version int not null check (version >= 1),
      title text not null check (title in ('LEARNING_FAMILY','LEARNING_CLAN','LEARNING_COMMUNITY','LEARNING_UNIT','LEARNING_CITIZEN')),
      -- HOUSEHOLD, CLAN, ORGANIZATION, PERSON, or for Learning Community the unit kind VILLAGE / COMMUNE / DISTRICT / PROVINCE
      subject_level text not null,
      name text not null,
      legal_basis text not null,
      valid_from date not null,
      valid_to date null check (valid_to is null or valid_to >= valid_from),
      status text not null default 'DRAFT' check (status in ('DRAFT','PUBLISHED','RETIRED')),
      sample boolean not null default false,
      definition jsonb not null,
      published_at timestamptz null,
      published_by text null,
      retired_at timestamptz null,
      retired_by text null,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      unique (code, version)
    )`);
    // one published and one draft version per family at a time
    this.addSql(`create unique index criteria_set_one_published_idx on criteria_set (code) where status = 'PUBLISHED'`);
    this.addSql(`create unique index criteria_set_one_draft_idx on criteria_set (code) where status = 'DRAFT'`);
    this.addSql('create index criteria_set_title_idx on criteria_set (title, subject_level, status)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists criteria_set');
  }
}
