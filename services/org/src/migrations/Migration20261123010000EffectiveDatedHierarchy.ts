import { Migration } from '@mikro-orm/migrations';

/**
 * The hierarchy over time: a unit keeps its identity (id, official code, lifetime) while its name,
 * kind, subtype and parent change in versions; every merge, split, rename, reclassification and
 * move is a recorded change with its legal basis. Validity is inclusive on both ends.
 * Foreign keys are deferred to commit, since the unit of work does not order inserts by them.
 */
export class Migration20261123010000EffectiveDatedHierarchy extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists btree_gist');
    this.addSql('create extension if not exists pg_trgm');
    this.addSql('create extension if not exists unaccent');
    this.addSql(`create table admin_unit_version (
      unit_id uuid not null references admin_unit (id) deferrable initially deferred,
      valid_from date not null,
      valid_to date null check (valid_to is null or valid_to >= valid_from),
      name text not null,
      name_folded text not null,
      kind text not null check (kind in ('NATION', 'PROVINCE', 'DISTRICT', 'COMMUNE', 'VILLAGE')),
      subtype text not null,
      parent_id uuid null references admin_unit (id) deferrable initially deferred,
      primary key (unit_id, valid_from),
      constraint admin_unit_version_no_overlap exclude using gist (unit_id with =, daterange(valid_from, valid_to, '[]') with &&)
    )`);
    this.addSql(`insert into admin_unit_version (unit_id, valid_from, valid_to, name, name_folded, kind, subtype, parent_id)
      select id, valid_from, valid_to, name, lower(unaccent(translate(name, 'đĐ', 'dD'))), kind,
        case kind when 'NATION' then 'NATION' when 'PROVINCE' then 'PROVINCE' when 'DISTRICT' then 'RURAL_DISTRICT'
          when 'COMMUNE' then 'COMMUNE' else 'VILLAGE_THON' end, parent_id
      from admin_unit`);
    this.addSql('create index admin_unit_version_parent_idx on admin_unit_version (parent_id, valid_from)');
    this.addSql('create index admin_unit_version_name_trgm on admin_unit_version using gin (name_folded gin_trgm_ops)');
    this.addSql('drop index admin_unit_parent_idx');
    this.addSql('alter table admin_unit drop column name, drop column kind, drop column parent_id');
    this.addSql('drop index admin_unit_current_code_uq');
    this.addSql(`alter table admin_unit add constraint admin_unit_code_no_overlap
      exclude using gist (code with =, daterange(valid_from, valid_to, '[]') with &&)`);

    this.addSql(`create table admin_unit_change (
      id uuid primary key,
      type text not null check (type in ('MERGE', 'SPLIT', 'RENAME', 'RECLASSIFY', 'MOVE', 'DISSOLVE')),
      effective_date date not null,
      legal_basis text not null,
      note text null,
      created_at timestamptz not null default now(),
      created_by text not null
    )`);
    this.addSql('create index admin_unit_change_date_idx on admin_unit_change (effective_date)');
    this.addSql(`create table admin_unit_change_unit (
      change_id uuid not null references admin_unit_change (id) deferrable initially deferred,
      unit_id uuid not null references admin_unit (id) deferrable initially deferred,
      role text not null check (role in ('PREDECESSOR', 'SUCCESSOR', 'SUBJECT')),
      -- a predecessor that went only in part into this successor set (a commune divided between several)
      partial boolean not null default false,
      primary key (change_id, unit_id, role)
    )`);
    this.addSql('create index admin_unit_change_unit_unit_idx on admin_unit_change_unit (unit_id)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists admin_unit_change_unit');
    this.addSql('drop table if exists admin_unit_change');
    this.addSql('alter table admin_unit drop constraint admin_unit_code_no_overlap');
    this.addSql('alter table admin_unit add column name text, add column kind text, add column parent_id uuid');
    this.addSql('drop table if exists admin_unit_version');
  }
}
