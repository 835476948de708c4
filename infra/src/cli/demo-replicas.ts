import { Client } from 'pg';
import type { Logger } from '../logger';
import { consumerGroupLag, createKafka } from '../kafka/client';
import { eventTopic, hierarchyConsumerGroup } from '../kafka/topics';
import type { StackState } from '../stack/stack';

/** The services that keep a replica of org's hierarchy. */
const WITH_HIERARCHY = ['recognition', 'reporting', 'awards'] as const;

/**
 * Waits until org's outbox has sent every event and every hierarchy replica has read them all.
 * A first start imports the whole reference hierarchy at once; a demo step that ran before the
 * replicas caught up would not fail but be wrong (a report request listing only the communes
 * reporting had received so far), so the demos start from replicas that hold all of it.
 */
export async function whenHierarchyReplicated(state: StackState, logger: Logger, seconds = 600): Promise<void> {
  const db = new Client({ connectionString: state.databaseUrls.org });
  const admin = createKafka({ clientId: 'xhht-demo', brokers: state.brokers, logger }).admin();
  await db.connect();
  await admin.connect();
  try {
    const topic = eventTopic('org');
    const until = Date.now() + seconds * 1000;
    let said = 0;
    for (;;) {
      const { rows } = await db.query<{ unsent: number }>('select count(*)::int as unsent from outbox where sent_at is null');
      const unsent = rows[0]?.unsent ?? 0;
      let behind = 0;
      for (const service of WITH_HIERARCHY) behind += await consumerGroupLag(admin, hierarchyConsumerGroup(service), topic);
      if (unsent === 0 && behind === 0) return;
      if (Date.now() > until)
        throw new Error(`the hierarchy replicas are still behind after ${seconds} s (${unsent} unsent, ${behind} unread)`);
      if (Date.now() - said > 10_000) {
        logger.info({ unsent, unread: behind }, 'waiting for the services to receive the hierarchy');
        said = Date.now();
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  } finally {
    await admin.disconnect();
    await db.end();
  }
}
