import { Migration } from '@mikro-orm/migrations';

/**
 * A proposing unit may withdraw its own nomination before the review starts (`WITHDRAWN`, final,
 * with the reason), an agenda item nobody has voted on may be taken off its session (`REMOVED`), and
 * a planned session may be cancelled (`CANCELLED`, its items removed). Removed items and cancelled
 * sessions stay on record with who did it, when and why; they are never counted or put in minutes.
 */
export class Migration20261228000000WithdrawAndAgendaRemoval extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table nomination drop constraint nomination_status_check');
    this.addSql(`alter table nomination add constraint nomination_status_check
      check (status in ('DRAFT','SUBMITTED','RECEIVED','UNDER_REVIEW','APPROVED','REJECTED','RETURNED','DECIDED','WITHDRAWN'))`);
    this.addSql('alter table nomination add column withdrawal_reason text null');

    this.addSql('alter table council_session drop constraint council_session_status_check');
    this.addSql(`alter table council_session add constraint council_session_status_check
      check (status in ('PLANNED','OPEN','CLOSED','CANCELLED'))`);
    this.addSql('alter table council_session add column cancelled_at timestamptz null');
    this.addSql('alter table council_session add column cancelled_by text null');
    this.addSql('alter table council_session add column cancel_reason text null');
    this.addSql(`alter table council_session add constraint council_session_cancelled_check
      check ((status = 'CANCELLED') = (cancelled_at is not null and cancelled_by is not null and cancel_reason is not null))`);

    this.addSql('alter table council_agenda_item drop constraint council_agenda_item_status_check');
    this.addSql(`alter table council_agenda_item add constraint council_agenda_item_status_check
      check (status in ('OPEN','CLOSED','REMOVED'))`);
    this.addSql('alter table council_agenda_item add column removed_at timestamptz null');
    this.addSql('alter table council_agenda_item add column removed_by text null');
    this.addSql('alter table council_agenda_item add column removal_reason text null');
    this.addSql(`alter table council_agenda_item add constraint council_agenda_item_removed_check
      check ((status = 'REMOVED') = (removed_at is not null and removed_by is not null and removal_reason is not null))`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table council_agenda_item drop constraint if exists council_agenda_item_removed_check');
    this.addSql('alter table council_agenda_item drop column if exists removal_reason');
    this.addSql('alter table council_agenda_item drop column if exists removed_by');
    this.addSql('alter table council_agenda_item drop column if exists removed_at');
    this.addSql('alter table council_session drop constraint if exists council_session_cancelled_check');
    this.addSql('alter table council_session drop column if exists cancel_reason');
    this.addSql('alter table council_session drop column if exists cancelled_by');
    this.addSql('alter table council_session drop column if exists cancelled_at');
    this.addSql('alter table nomination drop column if exists withdrawal_reason');
  }
}
