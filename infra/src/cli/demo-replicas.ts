import { Client } from 'pg';
import type { Logger } from '../logger';
import { createKafka } from '../kafka/client';
import { eventTopic } from '../kafka/topics';
import type { StackState } from '../stack/stack';

/** The consumer groups that keep a replica of org's hierarchy, one per service that has one. */
const HIERARCHY_GROUPS = ['xhht.recognition.hierarchy', 'xhht.reporting.hierarchy', 'xhht.awards.hierarchy'];

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
      const ends = await admin.fetchTopicOffsets(topic);
      let behind = 0;
      for (const groupId of HIERARCHY_GROUPS) {
        const [read] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const done = new Map((read?.partitions ?? []).map((p) => [p.partition, Math.max(Number(p.offset), 0)]));
        behind += ends.reduce((sum, p) => sum + Math.max(Number(p.high) - (done.get(p.partition) ?? 0), 0), 0);
      }
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
