import { Migration } from '@mikro-orm/migrations';

/**
 * Study-promotion funds (quỹ khuyến học), their movements and the scholarship programmes they pay.
 *
 * The fund row carries the balance and is locked (`for update`) by every movement, so movements of
 * one fund are written one after another; the check constraints are the last guard: whatever the
 * code does, a balance below zero cannot be committed. Movements are never updated or deleted: a
 * mistake is undone by a correction that reverses it (at most one per movement).
 */
export class Migration20261222000000StudyPromotionFunds extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table scholarship_programme (
      code text primary key check (code ~ '^[A-Z][A-Z0-9_]{1,59}$'),
      name text not null,
      criteria text null,
      unit_id uuid null,
      created_at timestamptz not null,
      created_by text not null
    )`);
    this.addSql('create index scholarship_programme_unit_idx on scholarship_programme (unit_id)');
    // the Association's national programme; unit_id null: every fund may pay it
    this.addSql(`insert into scholarship_programme (code, name, criteria, unit_id, created_at, created_by)
      values ('HOC_KHONG_BAO_GIO_NGUNG', 'Học không bao giờ ngừng',
        'Học bổng của Hội Khuyến học Việt Nam dành cho người học vượt khó, học tập suốt đời', null, now(), 'system')`);

    this.addSql(`create table study_promotion_fund (
      id uuid primary key,
      unit_id uuid not null,
      organization_id uuid null,
      name text not null,
      opened_on date not null,
      status text not null check (status in ('OPEN','CLOSED')),
      closed_on date null,
      balance bigint not null default 0 check (balance >= 0),
      total_in bigint not null default 0 check (total_in >= 0),
      total_out bigint not null default 0 check (total_out >= 0),
      movement_count int not null default 0,
      created_at timestamptz not null,
      created_by text not null,
      updated_at timestamptz not null,
      updated_by text not null,
      check (balance = total_in - total_out),
      check ((status = 'CLOSED') = (closed_on is not null))
    )`);
    // one fund per unit (kept by the Association's branch there), and one per organization of a unit
    this.addSql('create unique index study_promotion_fund_unit_uq on study_promotion_fund (unit_id) where organization_id is null');
    this.addSql(
      'create unique index study_promotion_fund_org_uq on study_promotion_fund (organization_id) where organization_id is not null',
    );

    this.addSql(`create table fund_movement (
      id uuid primary key,
      fund_id uuid not null references study_promotion_fund (id),
      seq int not null check (seq >= 1),
      kind text not null check (kind in ('DONATION','SCHOLARSHIP','AWARD','CORRECTION')),
      direction text not null check (direction in ('IN','OUT')),
      amount bigint not null check (amount > 0),
      balance_after bigint not null check (balance_after >= 0),
      occurred_on date not null,
      donor_name text null,
      donor_organization_id uuid null,
      receipt_number text null,
      recipient_person_id uuid null,
      recipient_name text null,
      programme_code text null references scholarship_programme (code),
      decision_reference text null,
      award_decision_id uuid null,
      reverses_id uuid null unique references fund_movement (id),
      reason text null,
      note text null,
      recorded_at timestamptz not null,
      recorded_by text not null,
      unique (fund_id, seq),
      check (kind <> 'DONATION' or (direction = 'IN' and (donor_name is not null or donor_organization_id is not null))),
      check (kind <> 'SCHOLARSHIP' or (direction = 'OUT' and programme_code is not null
        and (recipient_person_id is not null or recipient_name is not null))),
      check (kind <> 'AWARD' or (direction = 'OUT' and award_decision_id is not null
        and (recipient_person_id is not null or recipient_name is not null))),
      check ((kind = 'CORRECTION') = (reverses_id is not null)),
      check (kind <> 'CORRECTION' or reason is not null)
    )`);
    this.addSql('create index fund_movement_fund_day_idx on fund_movement (fund_id, occurred_on)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists fund_movement');
    this.addSql('drop table if exists study_promotion_fund');
    this.addSql('drop table if exists scholarship_programme');
  }
}
