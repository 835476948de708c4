import { Migration } from '@mikro-orm/migrations';
import { LAW_2022_FROM, SHIPPED_FORMS } from '../forms/award-forms';

const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * Award forms as effective-dated configuration: one row per version of a form (inclusive dates,
 * valid_to null = open-ended), no two versions of a code overlapping. Ships the forms of the 2022 Law
 * in force from 2024-01-01. A version is never edited, only closed (closed_at, closed_by say who).
 */
export class Migration20261220000000AwardForms extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists btree_gist');
    this.addSql(`create table award_form_version (
      id uuid primary key,
      code text not null,
      name text not null,
      recipient_kinds text[] not null
        check (cardinality(recipient_kinds) > 0 and recipient_kinds <@ array['INDIVIDUAL','COLLECTIVE','HOUSEHOLD']),
      authority_level text not null check (authority_level in ('COMMUNE','PROVINCE','MINISTRY','GOVERNMENT')),
      signer_title text not null,
      rank int not null check (rank > 0),
      valid_from date not null,
      valid_to date null check (valid_to is null or valid_to >= valid_from),
      created_at timestamptz not null default now(),
      created_by text not null,
      closed_at timestamptz null,
      closed_by text null,
      constraint award_form_version_no_overlap exclude using gist (code with =, daterange(valid_from, valid_to, '[]') with &&)
    )`);
    const rows = SHIPPED_FORMS.map(
      (f) =>
        `(gen_random_uuid(), ${lit(f.code)}, ${lit(f.name)}, array[${f.recipientKinds.map(lit).join(', ')}]::text[], ${lit(f.authorityLevel)}, ` +
        `${lit(f.signerTitle)}, ${f.rank}, ${lit(LAW_2022_FROM)}, 'system')`,
    );
    this
      .addSql(`insert into award_form_version (id, code, name, recipient_kinds, authority_level, signer_title, rank, valid_from, created_by)
      values ${rows.join(',\n')}`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists award_form_version');
  }
}
