import { Migration } from '@mikro-orm/migrations';

/**
 * Foreign keys are deferred to commit: entities are defined as schemas without relations, so the
 * unit of work does not order inserts by dependency.
 *
 * Everyone who takes part, located in administrative units; plus the accounts that act in the
 * system and their scoped roles.
 *
 * Every participant has a `code` unique within its unit: the local register number a commune
 * office already uses (or one the system assigns). (unit, code) is the natural key that makes
 * CSV imports idempotent. Participants keep the unit they were registered in; after a merge they
 * are found under the successor through the recorded change, so nothing is rewritten.
 * No national ID numbers are stored (domain.md §1: keep personal data minimal).
 */
export class Migration20261123011000Participants extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table organization (
      id uuid primary key,
      unit_id uuid not null references admin_unit (id) deferrable initially deferred,
      code text not null,
      name text not null,
      name_folded text not null,
      type text not null check (type in ('STATE_AGENCY', 'STATE_AGENCY_OFFICE', 'FATHERLAND_FRONT', 'SOCIO_POLITICAL',
        'STUDY_PROMOTION_ASSOCIATION', 'ENTERPRISE', 'COOPERATIVE', 'SCHOOL', 'COMMUNITY_LEARNING_CENTRE', 'LIBRARY',
        'CULTURE_HOUSE', 'OTHER')),
      parent_id uuid null references organization (id) deferrable initially deferred,
      valid_from date not null,
      valid_to date null,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      unique (unit_id, code)
    )`);
    this.addSql('create index organization_parent_idx on organization (parent_id)');
    this.addSql('create index organization_name_trgm on organization using gin (name_folded gin_trgm_ops)');

    this.addSql(`create table household (
      id uuid primary key,
      unit_id uuid not null references admin_unit (id) deferrable initially deferred,
      code text not null,
      head_name text not null,
      address text null,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      unique (unit_id, code)
    )`);

    this.addSql(`create table person (
      id uuid primary key,
      unit_id uuid not null references admin_unit (id) deferrable initially deferred,
      code text not null,
      full_name text not null,
      name_folded text not null,
      birth_year int not null check (birth_year between 1900 and 2100),
      sex text not null check (sex in ('FEMALE', 'MALE')),
      occupational_group text not null check (occupational_group in ('FARMER', 'WORKER', 'OFFICIAL', 'TEACHER', 'STUDENT', 'OTHER')),
      household_id uuid null references household (id) deferrable initially deferred,
      workplace_id uuid null references organization (id) deferrable initially deferred,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      unique (unit_id, code)
    )`);
    this.addSql('create index person_household_idx on person (household_id)');
    this.addSql('create index person_workplace_idx on person (workplace_id)');

    this.addSql(`create table clan (
      id uuid primary key,
      unit_id uuid not null references admin_unit (id) deferrable initially deferred,
      code text not null,
      name text not null,
      name_folded text not null,
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      unique (unit_id, code)
    )`);
    this.addSql(`create table clan_branch (
      id uuid primary key,
      clan_id uuid not null references clan (id) deferrable initially deferred,
      name text not null,
      unit_id uuid null references admin_unit (id) deferrable initially deferred,
      unique (clan_id, name)
    )`);
    this.addSql(`create table clan_household (
      clan_id uuid not null references clan (id) deferrable initially deferred,
      household_id uuid not null references household (id) deferrable initially deferred,
      branch_id uuid null references clan_branch (id) deferrable initially deferred,
      primary key (clan_id, household_id)
    )`);
    this.addSql('create index clan_household_household_idx on clan_household (household_id)');

    this.addSql(`create table body (
      id uuid primary key,
      unit_id uuid not null references admin_unit (id) deferrable initially deferred,
      kind text not null check (kind in ('STEERING_COMMITTEE', 'EMULATION_COUNCIL')),
      name text not null,
      decision_number text null,
      established_on date not null,
      dissolved_on date null,
      created_at timestamptz not null default now(),
      created_by text not null
    )`);
    this.addSql('create unique index body_one_active_per_kind on body (unit_id, kind) where dissolved_on is null');
    this.addSql(`create table body_member (
      id uuid primary key,
      body_id uuid not null references body (id) deferrable initially deferred,
      full_name text not null,
      position text not null,
      member_role text not null check (member_role in ('CHAIR', 'VICE_CHAIR', 'STANDING_MEMBER', 'MEMBER', 'SECRETARY')),
      organization_id uuid null references organization (id) deferrable initially deferred,
      account_id uuid null,
      valid_from date not null,
      valid_to date null
    )`);
    this.addSql('create index body_member_body_idx on body_member (body_id)');

    this.addSql(`create table account (
      id uuid primary key,
      username text not null unique,
      display_name text not null,
      password_hash text not null,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      created_by text not null
    )`);
    this.addSql(`create table role_assignment (
      id uuid primary key,
      account_id uuid not null references account (id) deferrable initially deferred,
      role text not null,
      unit_id uuid null references admin_unit (id) deferrable initially deferred,
      organization_id uuid null references organization (id) deferrable initially deferred,
      granted_at timestamptz not null default now(),
      granted_by text not null,
      revoked_at timestamptz null,
      revoked_by text null,
      check (not (unit_id is not null and organization_id is not null))
    )`);
    this.addSql('create index role_assignment_account_idx on role_assignment (account_id) where revoked_at is null');
    this.addSql(
      'alter table body_member add constraint body_member_account_fk foreign key (account_id) references account (id) deferrable initially deferred',
    );
  }

  override async down(): Promise<void> {
    for (const t of [
      'body_member',
      'body',
      'role_assignment',
      'account',
      'clan_household',
      'clan_branch',
      'clan',
      'person',
      'household',
      'organization',
    ]) {
      this.addSql(`drop table if exists ${t}`);
    }
  }
}
