import { Migration } from '@mikro-orm/migrations';

/**
 * Award decisions (quyết định khen thưởng) and the awards they grant, one per awardee.
 *
 * A decision's number is unique per issuing unit and year (numbers restart every January, as
 * administrative documents number them); the number is compared folded (`number_key`), so
 * "12/QĐ-UBND" and "12/qđ-ubnd " are the same. An award comes from exactly one approved nomination
 * (`nomination_id` unique): one nomination, at most one award. Its register number (số vào sổ) is
 * a sequence per issuing unit and year. Awards are never deleted; a revocation is recorded on the
 * row, with its reason and the revoking decision, once.
 */
export class Migration20261225000000AwardDecisions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table award_decision (
      id uuid primary key,
      round_id uuid not null references award_round (id),
      form_code text not null,
      form_version_id uuid not null references award_form_version (id),
      number text not null,
      number_key text not null,
      decided_on date not null,
      issuing_unit_id uuid not null,
      issuing_body text[] not null,
      grantor text not null,
      place text not null,
      signer_name text not null,
      signer_title text not null,
      citation text not null,
      created_at timestamptz not null,
      created_by text not null
    )`);
    this.addSql(
      `create unique index award_decision_number_idx on award_decision (issuing_unit_id, (extract(year from decided_on)), number_key)`,
    );
    this.addSql('create index award_decision_round_idx on award_decision (round_id)');

    this.addSql(`create table award (
      id uuid primary key,
      decision_id uuid not null references award_decision (id),
      position int not null check (position >= 1),
      nomination_id uuid not null unique references nomination (id),
      nominee_kind text not null check (nominee_kind in ('PERSON','HOUSEHOLD','CLAN','ORGANIZATION','ADMIN_UNIT')),
      nominee_id uuid not null,
      nominee_unit_id uuid not null,
      awardee_name text not null,
      awardee_detail text null,
      citation text null,
      issuing_unit_id uuid not null,
      year int not null,
      register_seq int not null check (register_seq >= 1),
      register_number text not null,
      revoked_on date null,
      revocation_ref text null,
      revocation_reason text null,
      revoked_at timestamptz null,
      revoked_by text null,
      version int not null,
      unique (decision_id, position),
      unique (issuing_unit_id, year, register_seq),
      check ((revoked_on is null) = (revocation_reason is null) and (revoked_on is null) = (revocation_ref is null)
        and (revoked_on is null) = (revoked_at is null) and (revoked_on is null) = (revoked_by is null))
    )`);
    this.addSql('create index award_nominee_idx on award (nominee_id)');
    this.addSql('create index award_unit_year_idx on award (nominee_unit_id, year)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists award');
    this.addSql('drop table if exists award_decision');
  }
}
