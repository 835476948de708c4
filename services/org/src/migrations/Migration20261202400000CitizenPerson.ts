import { Migration } from '@mikro-orm/migrations';

/**
 * A CITIZEN role is held for one person (the citizen themself): role assignments get a person
 * scope beside unit and organization, at most one of the three, and the one-active-assignment rule
 * counts the person as the scope.
 */
export class Migration20261202400000CitizenPerson extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table role_assignment add column person_id uuid null references person (id) deferrable initially deferred');
    this.addSql(`alter table role_assignment add constraint role_assignment_one_scope
      check (num_nonnulls(unit_id, organization_id, person_id) <= 1)`);
    this.addSql('drop index if exists role_assignment_one_active');
    this.addSql(`create unique index role_assignment_one_active on role_assignment
      (account_id, role, coalesce(unit_id, organization_id, person_id, '00000000-0000-0000-0000-000000000000'::uuid)) where revoked_at is null`);
    this.addSql('create index role_assignment_person_idx on role_assignment (person_id) where person_id is not null');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists role_assignment_person_idx');
    this.addSql('drop index if exists role_assignment_one_active');
    this.addSql(`create unique index role_assignment_one_active on role_assignment
      (account_id, role, coalesce(unit_id, organization_id, '00000000-0000-0000-0000-000000000000'::uuid)) where revoked_at is null`);
    this.addSql('alter table role_assignment drop constraint role_assignment_one_scope');
    this.addSql('alter table role_assignment drop column person_id');
  }
}
