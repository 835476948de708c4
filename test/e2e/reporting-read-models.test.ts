import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { todayInVietnam, type MikroORM } from '@xhht/infra';
import { indicatorCounts } from '../support/reporting';
import { recogniseHouseholds, replicated } from '../support/recognition';
import { reportingTestOrm } from '../support/reporting';
import { collectTopic, createProvince, createUnit, eventually, gql, kafka, sql, tokenFor, uniqueCode } from '../support/stack';

/**
 * Reporting's read models through the real stack: households registered in org and recognised by
 * a decision in recognition reach reporting through Kafka, and the Learning Family rate counts
 * them for the commune and the province; a revocation stops one counting, and the same granted
 * event delivered again counts nothing twice.
 *
 * The assessments are written straight into recognition's `assessment` table (APPROVED, as the
 * assessment workflow leaves them), as in recognition-decisions.test.ts.
 */

const TOPIC = 'xhht.recognition.events';
const GRANTED = 'vn.xhht.recognition.recognition.granted.v1';
const REGISTER_HOUSEHOLD = `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { household { id } } }`;
const REVOKE = `mutation Revoke($input: RevokeRecognitionInput!) { revokeRecognition(input: $input) { recognition { id status } } }`;

let events: { messages: KafkaMessage[]; stop: () => Promise<void> };
let orm: MikroORM;
let province: { id: string };
let communeA: { id: string };
let communeB: { id: string };
let householdsA: string[];
let householdB: string;
let decisionId: string;

const parsed = (m: KafkaMessage) => JSON.parse(m.value!.toString()) as { id: string; type: string; subject: string; data: any };

async function household(unitId: string): Promise<string> {
  const res = await gql(REGISTER_HOUSEHOLD, { input: { unitId, code: uniqueCode(), headName: 'Hoàng Văn Lâm' } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.registerHousehold.household.id as string;
}

/** The Learning Family rate's numerator and denominator per unit, as reporting computes them today. */
async function familyRate(): Promise<Record<string, [number, number]>> {
  const rows = await indicatorCounts(
    orm.em.fork() as unknown as Parameters<typeof indicatorCounts>[0],
    [province.id, communeA.id, communeB.id],
    2025,
    todayInVietnam(),
  );
  const name = (id: string) => (id === province.id ? 'province' : id === communeA.id ? 'communeA' : 'communeB');
  return Object.fromEntries(
    rows.filter((r) => r.indicator === 'LEARNING_FAMILY_RATE').map((r) => [name(r.unitId), [r.numerator, r.denominator]]),
  );
}

/** Recognitions reporting has recorded for these subjects, by status. */
const facts = async (subjects: string[]) =>
  sql<{ subject_id: string; status: string }>(
    'reporting',
    'select subject_id, status from recognition_fact where subject_id = any($1::uuid[])',
    [subjects],
  );

beforeAll(async () => {
  events = await collectTopic(TOPIC);
  orm = await reportingTestOrm();
  ({ province } = await createProvince('Việt Nam (số liệu báo cáo)', 'Tỉnh Cao Bằng'));
  const commune = (name: string) =>
    createUnit({ code: uniqueCode(), name, kind: 'COMMUNE', parentId: province.id, validFrom: '2025-07-01' });
  communeA = await commune('Xã Hòa An');
  communeB = await commune('Xã Nguyên Bình');
  const village = (parentId: string) =>
    createUnit({ code: uniqueCode(), name: 'Xóm Nà Rị', kind: 'VILLAGE', parentId, validFrom: '2025-07-01' });
  const villageA = await village(communeA.id);
  const villageB = await village(communeB.id);
  householdsA = [await household(villageA.id), await household(villageA.id), await household(villageA.id)];
  householdB = await household(villageB.id);
  await replicated('participant_replica', [...householdsA, householdB]);
  await eventually(
    async () => {
      const [r] = await sql<{ n: number }>('reporting', 'select count(*)::int as n from participant_replica where id = any($1::uuid[])', [
        [...householdsA, householdB],
      ]);
      return r!.n === 4 ? true : undefined;
    },
    60000,
    'households in the reporting replica',
  );

  // two of the commune's three households recognised
  decisionId = await recogniseHouseholds({
    year: 2025,
    decidingUnitId: communeA.id,
    date: '2026-01-10',
    number: '31/QĐ-UBND',
    households: householdsA.slice(0, 2).map((id) => ({ id, unitId: villageA.id })),
    officerSubject: 'hkh-hoa-an',
  });
}, 180000);

afterAll(async () => {
  await events?.stop();
  await orm?.close(true);
});

describe('reporting read models', () => {
  it('counts the recognised households for the commune and the province', async () => {
    await eventually(async () => ((await facts(householdsA)).length === 2 ? true : undefined), 30000, 'recognitions in reporting');
    expect(await familyRate()).toEqual({ province: [2, 4], communeA: [2, 3], communeB: [0, 1] });
  });

  it('counts nothing twice when the same granted event is delivered again', async () => {
    const granted = await eventually(
      async () => events.messages.find((m) => parsed(m).type === GRANTED && parsed(m).data.decisionId === decisionId),
      30000,
      'a granted event',
    );
    const again = parsed(granted);
    const producer = kafka().producer();
    await producer.connect();
    try {
      // the very same message (the inbox sees its id again), then the same event under a new id (the read model sees it again)
      await producer.send({ topic: TOPIC, messages: [{ key: granted.key, value: granted.value, headers: granted.headers }] });
      const copyId = randomUUID();
      await producer.send({
        topic: TOPIC,
        messages: [{ key: granted.key, value: JSON.stringify({ ...again, id: copyId }), headers: granted.headers }],
      });
      await eventually(
        async () => {
          const [r] = await sql<{ n: number }>(
            'reporting',
            `select count(*)::int as n from inbox where consumer_group = 'xhht.reporting.recognitions' and event_id = $1`,
            [copyId],
          );
          return r!.n === 1 ? true : undefined;
        },
        30000,
        'the copy consumed by reporting',
      );
    } finally {
      await producer.disconnect();
    }
    expect(await facts([again.subject])).toEqual([{ subject_id: again.subject, status: 'ACTIVE' }]);
    expect(await familyRate()).toEqual({ province: [2, 4], communeA: [2, 3], communeB: [0, 1] });
  });

  it('stops counting a revoked recognition', async () => {
    const [rec] = await sql<{ id: string }>('recognition', 'select id from recognition where subject_id = $1', [householdsA[0]]);
    const officer = await tokenFor([{ role: 'ASSOCIATION_OFFICER', unitId: communeA.id }], 'hkh-hoa-an');
    const res = await gql(REVOKE, { input: { id: rec!.id, reason: 'Hồ sơ không trung thực' } }, { token: officer });
    expect(res.errors).toBeUndefined();
    await eventually(
      async () => ((await facts([householdsA[0]!]))[0]?.status === 'REVOKED' ? true : undefined),
      30000,
      'the revocation in reporting',
    );
    expect(await familyRate()).toEqual({ province: [1, 4], communeA: [1, 3], communeB: [0, 1] });
  });
});
