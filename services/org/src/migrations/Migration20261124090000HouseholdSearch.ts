import { Migration } from '@mikro-orm/migrations';

/**
 * Households are searched by their head's name without diacritics, like every other participant;
 * the folded form is computed in the application (foldVietnamese), so existing rows start empty.
 */
export class Migration20261124090000HouseholdSearch extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table household add column head_name_folded text not null default ''`);
    this.addSql('create index household_head_name_trgm on household using gin (head_name_folded gin_trgm_ops)');
    this.addSql('create index person_name_trgm on person using gin (name_folded gin_trgm_ops)');
    this.addSql('create index clan_name_trgm on clan using gin (name_folded gin_trgm_ops)');
    this.addSql('create index body_unit_idx on body (unit_id)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists body_unit_idx');
    this.addSql('drop index if exists clan_name_trgm');
    this.addSql('drop index if exists person_name_trgm');
    this.addSql('alter table household drop column head_name_folded');
  }
}
