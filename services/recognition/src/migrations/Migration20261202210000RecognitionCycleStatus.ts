import { Migration } from '@mikro-orm/migrations';

/** A cycle is OPEN until its deciding authority closes it; lists by deciding unit and by year. */
export class Migration20261202210000RecognitionCycleStatus extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table recognition_cycle add column status text not null default 'OPEN' check (status in ('OPEN','CLOSED'))`);
    this.addSql('create index recognition_cycle_unit_idx on recognition_cycle (deciding_unit_id)');
    this.addSql('create index recognition_cycle_year_idx on recognition_cycle (year, title)');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists recognition_cycle_year_idx');
    this.addSql('drop index if exists recognition_cycle_unit_idx');
    this.addSql('alter table recognition_cycle drop column if exists status');
  }
}
