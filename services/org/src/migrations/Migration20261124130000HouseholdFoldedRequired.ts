import { Migration } from '@mikro-orm/migrations';

/**
 * Every writer must give a household's folded head name: without the default, one that forgets fails
 * instead of leaving the household unfindable by search. Rows written before get it backfilled.
 */
export class Migration20261124130000HouseholdFoldedRequired extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update household set head_name_folded = lower(unaccent(translate(head_name, 'đĐ', 'dD'))) where head_name_folded = ''`);
    this.addSql('alter table household alter column head_name_folded drop default');
  }
  override async down(): Promise<void> {
    this.addSql(`alter table household alter column head_name_folded set default ''`);
  }
}
