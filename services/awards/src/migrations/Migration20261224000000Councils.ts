import { Migration } from '@mikro-orm/migrations';

/**
 * Emulation and commendation councils (Hội đồng Thi đua – Khen thưởng), their members, sessions,
 * agenda items, conflicts of interest and votes.
 *
 * A secret ballot is stored so that even the database cannot tell who voted how: `council_vote_cast`
 * records that a member voted on an item (it makes a second vote impossible), `council_secret_ballot`
 * records a choice with a random id and nothing else — no voter, no time, no order — so the two
 * cannot be joined. Open items keep the choice with the voter (`council_open_vote`).
 */
export class Migration20261224000000Councils extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table council (
      id uuid primary key,
      unit_id uuid not null,
      name text not null,
      quorum_numerator int not null check (quorum_numerator >= 0),
      quorum_denominator int not null check (quorum_denominator >= 1 and quorum_numerator <= quorum_denominator),
      threshold_base text not null check (threshold_base in ('ALL_MEMBERS','PRESENT')),
      threshold_comparator text not null check (threshold_comparator in ('GTE','GT')),
      threshold_percent numeric(5,2) not null check (threshold_percent > 0 and threshold_percent <= 100),
      secret_ballot boolean not null,
      created_at timestamptz not null,
      created_by text not null,
      updated_at timestamptz not null,
      updated_by text not null
    )`);
    // one council per unit
    this.addSql('create unique index council_unit_uq on council (unit_id)');

    this.addSql(`create table council_member (
      id uuid primary key,
      council_id uuid not null references council (id),
      subject text not null,
      display_name text not null,
      person_id uuid null,
      is_chair boolean not null,
      valid_from date not null,
      valid_to date null,
      created_at timestamptz not null,
      created_by text not null,
      check (valid_to is null or valid_to >= valid_from)
    )`);
    this.addSql('create index council_member_council_idx on council_member (council_id)');
    // one open membership per account; ended ones stay as history
    this.addSql('create unique index council_member_open_uq on council_member (council_id, subject) where valid_to is null');

    this.addSql(`create table council_session (
      id uuid primary key,
      council_id uuid not null references council (id),
      session_date date not null,
      place text not null,
      status text not null check (status in ('PLANNED','OPEN','CLOSED')),
      opened_at timestamptz null,
      opened_by text null,
      closed_at timestamptz null,
      closed_by text null,
      minutes text null,
      created_at timestamptz not null,
      created_by text not null,
      check ((status = 'CLOSED') = (minutes is not null))
    )`);
    this.addSql('create index council_session_council_idx on council_session (council_id, session_date)');

    this.addSql(`create table council_attendance (
      session_id uuid not null references council_session (id),
      member_id uuid not null references council_member (id),
      primary key (session_id, member_id)
    )`);

    this.addSql(`create table council_agenda_item (
      id uuid primary key,
      session_id uuid not null references council_session (id),
      position int not null check (position >= 1),
      subject_kind text not null check (subject_kind in ('NOMINATION','INITIATIVE')),
      nomination_id uuid null,
      initiative_id uuid null references initiative (id),
      title text not null,
      secret_ballot boolean not null,
      status text not null check (status in ('OPEN','CLOSED')),
      outcome text null check (outcome in ('PASSED','FAILED','NO_QUORUM')),
      tally jsonb null,
      closed_at timestamptz null,
      closed_by text null,
      created_at timestamptz not null,
      created_by text not null,
      unique (session_id, position),
      check ((subject_kind = 'NOMINATION') = (nomination_id is not null)),
      check ((subject_kind = 'INITIATIVE') = (initiative_id is not null)),
      check ((status = 'CLOSED') = (outcome is not null and tally is not null))
    )`);
    this.addSql('create index council_agenda_item_nomination_idx on council_agenda_item (nomination_id) where nomination_id is not null');
    this.addSql('create index council_agenda_item_initiative_idx on council_agenda_item (initiative_id) where initiative_id is not null');

    this.addSql(`create table council_conflict (
      item_id uuid not null references council_agenda_item (id),
      member_id uuid not null references council_member (id),
      reason text not null,
      declared_at timestamptz not null,
      declared_by text not null,
      primary key (item_id, member_id)
    )`);

    // "has voted": one per member per item, whatever the ballot kind
    this.addSql(`create table council_vote_cast (
      item_id uuid not null references council_agenda_item (id),
      member_id uuid not null references council_member (id),
      cast_at timestamptz not null,
      primary key (item_id, member_id)
    )`);
    this.addSql(`create table council_open_vote (
      item_id uuid not null references council_agenda_item (id),
      member_id uuid not null references council_member (id),
      choice text not null check (choice in ('APPROVE','REJECT','ABSTAIN')),
      primary key (item_id, member_id),
      foreign key (item_id, member_id) references council_vote_cast (item_id, member_id)
    )`);
    // no voter, no time: a random id and the choice
    this.addSql(`create table council_secret_ballot (
      id uuid primary key,
      item_id uuid not null references council_agenda_item (id),
      choice text not null check (choice in ('APPROVE','REJECT','ABSTAIN'))
    )`);
    this.addSql('create index council_secret_ballot_item_idx on council_secret_ballot (item_id)');
  }
}
