import { Migration } from '@mikro-orm/migrations';

/**
 * What accounts need beyond the participants migration: a folded display name for
 * diacritic-insensitive search, who last changed an account (activation is a change to audit), and
 * at most one active assignment of a role to one scope per account — also when two grants race.
 */
export class Migration20261124120000Accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table account
      add column display_name_folded text not null default '',
      add column updated_at timestamptz not null default now(),
      add column updated_by text null`);
    this.addSql('create index account_display_name_trgm on account using gin (display_name_folded gin_trgm_ops)');
    this.addSql(`create unique index role_assignment_one_active on role_assignment
      (account_id, role, coalesce(unit_id, organization_id, '00000000-0000-0000-0000-000000000000'::uuid)) where revoked_at is null`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists role_assignment_one_active');
    this.addSql('drop index if exists account_display_name_trgm');
    this.addSql('alter table account drop column display_name_folded, drop column updated_at, drop column updated_by');
  }
}
