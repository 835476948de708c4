import { Migration } from '@mikro-orm/migrations';

/**
 * Nominations (hồ sơ đề nghị khen thưởng) with every step they took, the achievements they rest on,
 * and the discipline registry that bars a nominee.
 *
 * One achievement earns one award: `nomination_achievement` holds one row per achievement key a
 * nomination rests on, and a partial unique index lets only one live row hold a key. A rejected
 * nomination lets go of its keys; an escalated one hands them to the nomination it became.
 */
export class Migration20261223000000Nominations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table nomination (
      id uuid primary key,
      round_id uuid not null references award_round (id),
      form_code text not null,
      nominee_kind text not null check (nominee_kind in ('PERSON','HOUSEHOLD','CLAN','ORGANIZATION','ADMIN_UNIT')),
      nominee_id uuid not null,
      proposing_unit_id uuid not null,
      summary text not null,
      evidence jsonb not null default '[]',
      achievement jsonb not null,
      status text not null check (status in ('DRAFT','SUBMITTED','RECEIVED','UNDER_REVIEW','APPROVED','REJECTED','RETURNED','DECIDED')),
      version int not null,
      return_reason text null,
      rejection_reason text null,
      recognitions jsonb null,
      eligibility jsonb null,
      submitted_at timestamptz null,
      escalated_from uuid null references nomination (id),
      escalated_to uuid null references nomination (id),
      decision_ref text null,
      created_at timestamptz not null,
      created_by text not null,
      updated_at timestamptz not null,
      updated_by text not null,
      check ((status = 'DECIDED') = (decision_ref is not null))
    )`);
    this.addSql('create index nomination_round_idx on nomination (round_id, form_code, status)');
    this.addSql('create index nomination_nominee_idx on nomination (nominee_id)');
    this.addSql('create index nomination_proposing_unit_idx on nomination (proposing_unit_id)');
    this.addSql('create unique index nomination_escalated_from_idx on nomination (escalated_from) where escalated_from is not null');
    this.addSql(`create table nomination_achievement (
      nomination_id uuid not null references nomination (id),
      achievement_key text not null,
      live boolean not null,
      primary key (nomination_id, achievement_key)
    )`);
    // the database's own word on "one achievement, one award": concurrent nominations cannot both hold a key
    this.addSql('create unique index nomination_achievement_live_idx on nomination_achievement (achievement_key) where live');
    this.addSql(`create table nomination_transition (
      id uuid primary key,
      nomination_id uuid not null references nomination (id),
      from_status text null,
      to_status text not null,
      reason text null,
      at timestamptz not null,
      by text not null
    )`);
    this.addSql('create index nomination_transition_idx on nomination_transition (nomination_id, at)');
    this.addSql(`create table discipline (
      id uuid primary key,
      subject_kind text not null check (subject_kind in ('PERSON','HOUSEHOLD','CLAN','ORGANIZATION','ADMIN_UNIT')),
      subject_id uuid not null,
      unit_id uuid not null,
      from_date date not null,
      to_date date null,
      decision_ref text not null,
      reason text not null,
      recorded_at timestamptz not null,
      recorded_by text not null,
      ended_at timestamptz null,
      ended_by text null,
      check (to_date is null or to_date >= from_date)
    )`);
    this.addSql('create index discipline_subject_idx on discipline (subject_id, from_date)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists discipline');
    this.addSql('drop table if exists nomination_transition');
    this.addSql('drop table if exists nomination_achievement');
    this.addSql('drop table if exists nomination');
  }
}
