import { Migration } from '@mikro-orm/migrations';

/**
 * Initiatives, good models and creative practices: one row each with its recognition by the
 * council and the award it grounds (at most one), its authors, and every step it took.
 *
 * Search ignores Vietnamese diacritics and case with PostgreSQL's unaccent (its rules map đ to d),
 * behind an immutable wrapper so the folded text can be a stored column with a trigram index.
 */
export class Migration20261221000000Initiatives extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists unaccent');
    this.addSql('create extension if not exists pg_trgm');
    // the dictionary is named with its schema: an immutable function must not depend on search_path
    this.addSql(`create or replace function initiative_fold(text) returns text
      language sql immutable parallel safe strict
      as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`);
    this.addSql(`create table initiative (
      id uuid primary key,
      kind text not null check (kind in ('INITIATIVE','GOOD_MODEL','CREATIVE_PRACTICE')),
      title text not null,
      description text not null,
      field text not null,
      unit_id uuid not null,
      organization_id uuid null,
      applied_since date not null,
      effect_scope text not null check (effect_scope in ('UNIT','COMMUNE','PROVINCE','NATIONAL')),
      effect_description text not null,
      evidence jsonb not null default '[]',
      status text not null check (status in ('DRAFT','SUBMITTED','RECOGNISED','RETURNED','REJECTED')),
      version int not null,
      return_reason text null,
      rejection_reason text null,
      submitted_at timestamptz null,
      council_session_ref text null,
      recognised_effect_scope text null check (recognised_effect_scope in ('UNIT','COMMUNE','PROVINCE','NATIONAL')),
      recognising_unit_id uuid null,
      recognised_at timestamptz null,
      recognised_by text null,
      grounds_award text null,
      awarded_at timestamptz null,
      created_at timestamptz not null,
      created_by text not null,
      updated_at timestamptz not null,
      updated_by text not null,
      search_text text generated always as (initiative_fold(title || ' ' || description)) stored,
      check ((status = 'RECOGNISED') = (recognised_at is not null)),
      check (grounds_award is null or status = 'RECOGNISED')
    )`);
    this.addSql('create index initiative_unit_idx on initiative (unit_id, status)');
    this.addSql('create index initiative_organization_idx on initiative (organization_id) where organization_id is not null');
    this.addSql(`create index initiative_recognised_idx on initiative (recognised_at desc, id) where status = 'RECOGNISED'`);
    this.addSql('create index initiative_search_idx on initiative using gin (search_text gin_trgm_ops)');
    this.addSql(`create table initiative_author (
      initiative_id uuid not null references initiative (id) on delete cascade,
      author_kind text not null check (author_kind in ('PERSON','ORGANIZATION')),
      author_id uuid not null,
      position int not null,
      primary key (initiative_id, author_id)
    )`);
    this.addSql('create index initiative_author_idx on initiative_author (author_id)');
    this.addSql(`create table initiative_transition (
      id uuid primary key,
      initiative_id uuid not null references initiative (id) on delete cascade,
      from_status text null,
      to_status text not null,
      reason text null,
      at timestamptz not null,
      by text not null
    )`);
    this.addSql('create index initiative_transition_idx on initiative_transition (initiative_id, at)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists initiative_transition');
    this.addSql('drop table if exists initiative_author');
    this.addSql('drop table if exists initiative');
    this.addSql('drop function if exists initiative_fold(text)');
  }
}
