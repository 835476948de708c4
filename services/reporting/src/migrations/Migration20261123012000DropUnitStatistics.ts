import { Migration } from '@mikro-orm/migrations';

/** Child counts are now read from the effective-dated replica; the event-incremented counter is gone. */
export class Migration20261123012000DropUnitStatistics extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop table if exists unit_statistics');
  }
  override async down(): Promise<void> {
    this.addSql(`create table unit_statistics (unit_id uuid primary key, child_unit_count int not null default 0)`);
  }
}
