import { Migration } from '@mikro-orm/migrations';

export class Migration20261123002000UnitStatistics extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table unit_statistics (
      unit_id uuid primary key,
      child_unit_count int not null default 0 check (child_unit_count >= 0)
    )`);
  }
  override async down(): Promise<void> {
    this.addSql('drop table if exists unit_statistics');
  }
}
