import { Migration } from '@mikro-orm/migrations';

/**
 * An approved proposal may go up to the level above again once the one it sent there was rejected
 * or withdrawn: the database still keeps one live escalation per proposal, no longer one ever.
 */
export class Migration20261229000000ReEscalation extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop index nomination_escalated_from_idx');
    this.addSql('create index nomination_escalated_from_idx on nomination (escalated_from) where escalated_from is not null');
    this.addSql(`create unique index nomination_escalated_from_live_idx on nomination (escalated_from)
      where escalated_from is not null and status not in ('REJECTED','WITHDRAWN')`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists nomination_escalated_from_live_idx');
    this.addSql('drop index if exists nomination_escalated_from_idx');
    this.addSql('create unique index nomination_escalated_from_idx on nomination (escalated_from) where escalated_from is not null');
  }
}
