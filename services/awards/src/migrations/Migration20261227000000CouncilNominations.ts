import { Migration } from '@mikro-orm/migrations';

/**
 * Agenda items on nominations point at real nominations, and a nomination is on at most one open
 * item: the council's vote moves it, so two open votes on it could not both be obeyed. The check in
 * code answers clearly; the partial unique index is the last word when two sessions take it at once.
 * The foreign key is not validated against rows written before nominations were checked.
 */
export class Migration20261227000000CouncilNominations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table council_agenda_item add constraint council_agenda_item_nomination_fk
         foreign key (nomination_id) references nomination (id) not valid`,
    );
    this.addSql(
      `create unique index council_agenda_item_open_nomination_uq on council_agenda_item (nomination_id)
         where status = 'OPEN' and nomination_id is not null`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists council_agenda_item_open_nomination_uq');
    this.addSql('alter table council_agenda_item drop constraint if exists council_agenda_item_nomination_fk');
  }
}
