import { Migration } from '@mikro-orm/migrations';

export class Migration20261123001000AdminUnits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table admin_unit (
      id uuid primary key,
      code text not null,
      name text not null,
      kind text not null check (kind in ('NATION', 'PROVINCE', 'DISTRICT', 'COMMUNE', 'VILLAGE')),
      parent_id uuid null references admin_unit (id),
      valid_from date not null,
      valid_to date null check (valid_to is null or valid_to >= valid_from),
      created_at timestamptz not null default now(),
      created_by text not null
    )`);
    // one current unit per official code; full validity-overlap rules come with effective-dated changes
    this.addSql('create unique index admin_unit_current_code_uq on admin_unit (code) where valid_to is null');
    this.addSql('create index admin_unit_parent_idx on admin_unit (parent_id)');
  }
  override async down(): Promise<void> {
    this.addSql('drop table if exists admin_unit');
  }
}
