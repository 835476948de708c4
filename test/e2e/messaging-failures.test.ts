import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { collectTopic, createUnit, eventually, gql, kafka, localBroker, sql, stack, uniqueCode } from '../support/stack';

const readiness = async (service: 'org' | 'reporting') => {
  const res = await fetch(new URL('/readyz', stack().serviceUrls[service]));
  return { status: res.status, body: (await res.json()) as { database: boolean; broker: boolean } };
};

const COUNT = `query Count($id: ID!) { adminUnit(id: $id) { childUnitCount } }`;
const childCount = async (id: string) =>
  (await gql<{ adminUnit: { childUnitCount: number } | null }>(COUNT, { id })).data?.adminUnit?.childUnitCount;

/** Waits until the reporting group has committed past `offset` on a partition, i.e. it has handled that message. */
async function reportingHasPassed(partition: number, offset: string): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await eventually(
      async () => {
        const [topic] = await admin.fetchOffsets({ groupId: 'xhht.reporting.hierarchy', topics: ['xhht.org.events'] });
        const committed = topic?.partitions.find((p) => p.partition === partition)?.offset;
        return committed !== undefined && BigInt(committed) > BigInt(offset) ? true : undefined;
      },
      30000,
      'reporting to pass the message',
    );
  } finally {
    await admin.disconnect();
  }
}

describe('delivery guarantees on real Kafka', () => {
  it('a redelivered event does not count twice', async () => {
    const nation = await createUnit({ code: uniqueCode(), name: 'Quốc gia', kind: 'NATION' });
    const province = await createUnit({ code: uniqueCode(), name: 'Tỉnh trùng', kind: 'PROVINCE', parentId: nation.id });
    await eventually(async () => ((await childCount(nation.id)) === 1 ? true : undefined), 30000, 'first count');

    const topic = await collectTopic('xhht.org.events');
    const original = await eventually(
      async () => topic.messages.find((m) => m.key?.toString() === province.id),
      30000,
      'the original event',
    );
    await topic.stop();

    const producer = kafka().producer();
    await producer.connect();
    const [sent] = await producer.send({
      topic: 'xhht.org.events',
      messages: [{ key: original.key, value: original.value, headers: original.headers }],
    });
    await producer.disconnect();
    await reportingHasPassed(sent!.partition, sent!.baseOffset!);

    expect(await childCount(nation.id)).toBe(1);
    const [inbox] = await sql<{ n: string }>('reporting', 'select count(*) as n from inbox where event_id = $1', [
      JSON.parse(original.value!.toString()).id,
    ]);
    expect(inbox!.n).toBe('1');
  });

  it('a poison message goes to the dead-letter topic with its reason, and the consumer goes on', async () => {
    const dlt = await collectTopic('xhht.reporting.dlt');
    const producer = kafka().producer();
    await producer.connect();
    const poisonId = randomUUID();
    const invalid = {
      specversion: '1.0',
      id: poisonId,
      source: '/xhht/org',
      type: 'vn.xhht.org.admin-unit.created.v1',
      time: new Date().toISOString(),
      subject: poisonId,
      datacontenttype: 'application/json',
      dataschema: 'urn:xhht:event-schema:vn.xhht.org.admin-unit.created.v1',
      data: { id: poisonId, kind: 'PLANET' },
    };
    await producer.send({
      topic: 'xhht.org.events',
      messages: [
        { key: poisonId, value: JSON.stringify(invalid), headers: { ce_type: 'vn.xhht.org.admin-unit.created.v1' } },
        { key: 'garbage', value: '{not json', headers: { ce_type: 'vn.xhht.org.admin-unit.created.v1' } },
      ],
    });
    await producer.disconnect();
    try {
      const schemaFailure = await eventually(
        async () => dlt.messages.find((m) => m.key?.toString() === poisonId),
        30000,
        'invalid event in the DLT',
      );
      expect(schemaFailure.headers?.dlt_reason?.toString()).toMatch(/^schema: invalid data/);
      expect(schemaFailure.headers?.dlt_consumer_group?.toString()).toBe('xhht.reporting.hierarchy');
      expect(schemaFailure.headers?.dlt_source_topic?.toString()).toBe('xhht.org.events');
      const garbage = await eventually(async () => dlt.messages.find((m) => m.key?.toString() === 'garbage'), 30000, 'garbage in the DLT');
      expect(garbage.headers?.dlt_reason?.toString()).toMatch(/^unparseable/);
    } finally {
      await dlt.stop();
    }
    // the consumer is still going: a new unit is counted
    const nation = await createUnit({ code: uniqueCode(), name: 'Sau tin hỏng', kind: 'NATION' });
    await createUnit({ code: uniqueCode(), name: 'Tỉnh sau', kind: 'PROVINCE', parentId: nation.id });
    await eventually(async () => ((await childCount(nation.id)) === 1 ? true : undefined), 30000, 'counting after the poison message');
  });

  it('broker down: writes still succeed, and every event arrives exactly once when it is back', async () => {
    const nation = await createUnit({ code: uniqueCode(), name: 'Quốc gia mất kết nối', kind: 'NATION' });
    await eventually(async () => ((await childCount(nation.id)) === 0 ? true : undefined), 30000, 'the nation in reporting');
    const broker = localBroker();
    await broker.stop();
    const created: string[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        const unit = await createUnit({ code: uniqueCode(), name: `Tỉnh trong sự cố ${i}`, kind: 'PROVINCE', parentId: nation.id });
        created.push(unit.id);
      }
      const [pending] = await sql<{ n: string }>(
        'org',
        `select count(*) as n from outbox where sent_at is null and message_key = any($1::text[])`,
        [created],
      );
      expect(Number(pending!.n)).toBe(6);
      // the operator sees why: not ready, broker unreachable, database fine
      const notReady = await eventually(
        async () => {
          const r = await readiness('org');
          return r.status === 503 ? r : undefined;
        },
        15000,
        'org to report the broker unreachable',
      );
      expect(notReady.body).toMatchObject({ database: true, broker: false });
    } finally {
      await broker.start();
    }
    await eventually(async () => ((await childCount(nation.id)) === 6 ? true : undefined), 120000, 'all six counted after the outage');
    const topic = await collectTopic('xhht.org.events');
    try {
      await eventually(
        async () => (created.every((id) => topic.messages.some((m) => m.key?.toString() === id)) ? true : undefined),
        60000,
        'every event on the topic',
      );
    } finally {
      await topic.stop();
    }
    // settle, then check nothing was counted twice
    await new Promise((r) => setTimeout(r, 2000));
    expect(await childCount(nation.id)).toBe(6);
    expect(await readiness('org')).toMatchObject({ status: 200, body: { database: true, broker: true } });
  });

  it('a consumer service killed mid-stream is restarted by its supervisor, and nothing is lost or counted twice', async () => {
    const nation = await createUnit({ code: uniqueCode(), name: 'Quốc gia khi báo cáo sập', kind: 'NATION' });
    await eventually(async () => ((await childCount(nation.id)) === 0 ? true : undefined), 30000, 'the nation in reporting');
    const pidFile = stack().pidFiles.reporting!;
    const killedPid = Number(readFileSync(pidFile, 'utf8'));
    process.kill(killedPid, 'SIGKILL');
    // org keeps accepting writes while reporting is gone
    for (let i = 0; i < 4; i++) await createUnit({ code: uniqueCode(), name: `Tỉnh khi sập ${i}`, kind: 'PROVINCE', parentId: nation.id });
    await eventually(
      async () => {
        const pid = Number(readFileSync(pidFile, 'utf8'));
        return pid !== killedPid && (await readiness('reporting').catch(() => undefined))?.status === 200 ? true : undefined;
      },
      60000,
      'reporting restarted and ready',
    );
    await eventually(async () => ((await childCount(nation.id)) === 4 ? true : undefined), 60000, 'all four counted after the restart');
    await new Promise((r) => setTimeout(r, 2000));
    expect(await childCount(nation.id)).toBe(4);
  });
});
