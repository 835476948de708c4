import { Migration } from '@mikro-orm/migrations';
import { SHIPPED_AUTHORITY_RULES } from '../authority/shipped-authority-rules';

const lit = (v: string | null) => (v === null ? 'null' : `'${v.replace(/'/g, "''")}'`);

/**
 * Who decides which title for which subject level, effective-dated (inclusive dates, valid_to null =
 * open-ended). For one (title, subject level) no two rules overlap in time. Ships the configuration
 * before and after the reform of 2025-07-01 (see authority/shipped-authority-rules.ts).
 */
export class Migration20261202200000AuthorityRules extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists btree_gist');
    this.addSql(`create table recognition_authority_rule (
      id uuid primary key,
      title text not null check (title in ('LEARNING_FAMILY','LEARNING_CLAN','LEARNING_COMMUNITY','LEARNING_UNIT','LEARNING_CITIZEN')),
      subject_level text not null
        check (subject_level in ('HOUSEHOLD','CLAN','PERSON','ORGANIZATION','VILLAGE','COMMUNE','DISTRICT','PROVINCE')),
      deciding_level text not null check (deciding_level in ('COMMUNE','DISTRICT','PROVINCE','NATION')),
      deciding_role text not null,
      authority_name text not null,
      legal_basis text not null,
      valid_from date not null,
      valid_to date null check (valid_to is null or valid_to >= valid_from),
      created_at timestamptz not null default now(),
      created_by text not null,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      constraint recognition_authority_rule_no_overlap
        exclude using gist (title with =, subject_level with =, daterange(valid_from, valid_to, '[]') with &&)
    )`);
    const rows = SHIPPED_AUTHORITY_RULES.map(
      (r) =>
        `(${[r.id, r.title, r.subjectLevel, r.decidingLevel, r.decidingRole, r.authorityName, r.legalBasis, r.validFrom].map(lit).join(', ')}, ${lit(r.validTo)}, 'system', 'system')`,
    );
    this.addSql(`insert into recognition_authority_rule
      (id, title, subject_level, deciding_level, deciding_role, authority_name, legal_basis, valid_from, valid_to, created_by, updated_by)
      values ${rows.join(',\n')}`);
    // who changed which rule when, and how (rules are only added and ended)
    this.addSql(`create table recognition_authority_rule_change (
      id uuid primary key,
      rule_id uuid not null references recognition_authority_rule (id),
      action text not null check (action in ('ADDED','ENDED')),
      changed_at timestamptz not null default now(),
      changed_by text not null,
      before jsonb null,
      after jsonb not null
    )`);
    this.addSql('create index recognition_authority_rule_change_rule_idx on recognition_authority_rule_change (rule_id, changed_at)');
    this.addSql(`alter table recognition_cycle add constraint recognition_cycle_authority_rule_fk
      foreign key (authority_rule_id) references recognition_authority_rule (id)`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table recognition_cycle drop constraint if exists recognition_cycle_authority_rule_fk');
    this.addSql('drop table if exists recognition_authority_rule_change');
    this.addSql('drop table if exists recognition_authority_rule');
  }
}
