import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery, type CloudEvent, type InboxHandler } from '@xhht/infra';

/**
 * Reporting's read model of recognition's titles: one row per recognition with its current
 * status, built from recognition's events alone (topic xhht.recognition.events). Every event
 * names the recognition and its subject, title, level and year; granted adds the validity period,
 * expired the last valid day. The newest event per recognition wins, so a redelivered event or an
 * older one arriving late changes nothing.
 */
export const RECOGNITION_GRANTED = 'vn.xhht.recognition.recognition.granted.v1';
export const RECOGNITION_REVOKED = 'vn.xhht.recognition.recognition.revoked.v1';
export const RECOGNITION_EXPIRED = 'vn.xhht.recognition.recognition.expired.v1';

export type RecognitionFactStatus = 'ACTIVE' | 'REVOKED' | 'EXPIRED';

const STATUS_OF: Record<string, RecognitionFactStatus> = {
  [RECOGNITION_GRANTED]: 'ACTIVE',
  [RECOGNITION_REVOKED]: 'REVOKED',
  [RECOGNITION_EXPIRED]: 'EXPIRED',
};

class Migration20261205200100RecognitionFact extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table recognition_fact (
      recognition_id uuid primary key,
      subject_kind text not null,
      subject_id uuid not null,
      title text not null,
      level text not null,
      year int not null,
      valid_from date null,
      valid_to date null,
      status text not null check (status in ('ACTIVE','REVOKED','EXPIRED')),
      source_time timestamptz not null
    )`);
    this.addSql('create index recognition_fact_subject_idx on recognition_fact (title, year, subject_id)');
  }
  override async down(): Promise<void> {
    this.addSql('drop table if exists recognition_fact');
  }
}

export const recognitionFactMigrations: MigrationObject[] = [
  { name: 'Migration20261205200100RecognitionFact', class: Migration20261205200100RecognitionFact },
];

/** The fields of recognition's events the read model keeps (granted carries all of them). */
interface RecognitionPayload {
  recognitionId: string;
  subjectKind: string;
  subjectId: string;
  title: string;
  level: string;
  year: number;
  validFrom?: string;
  validTo?: string;
}

/** Ends outrank a grant stamped with the same time: a revocation or expiry is never undone by a tie. */
const rank = (status: string) => `case ${status} when 'ACTIVE' then 0 when 'EXPIRED' then 1 else 2 end`;

/**
 * Applies recognition events with one statement for all of them: per recognition only the newest
 * event counts (by event time, then an end over a grant, then the later one given), and only if
 * nothing newer is here already. A validity period learnt from an older grant (in the same batch,
 * or arriving after its revocation or expiry) is still kept, so the row knows when the title was valid.
 */
export async function applyRecognitionEvents(events: CloudEvent<unknown>[], em: EntityManager): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((event, ord) => {
    const status = STATUS_OF[event.type];
    if (!status) throw new Error(`not a recognition event: ${event.type}`);
    const d = event.data as RecognitionPayload;
    return {
      ord,
      id: d.recognitionId,
      subjectKind: d.subjectKind,
      subjectId: d.subjectId,
      title: d.title,
      level: d.level,
      year: d.year,
      validFrom: d.validFrom ?? null,
      validTo: d.validTo ?? null,
      status,
      sourceTime: event.time,
    };
  });
  const newer = `(recognition_fact.source_time, ${rank('recognition_fact.status')}) < (excluded.source_time, ${rank('excluded.status')})`;
  await rawQuery(
    em,
    `insert into recognition_fact (recognition_id, subject_kind, subject_id, title, level, year, valid_from, valid_to, status, source_time)
     select id, "subjectKind", "subjectId", title, level, year, "validFrom", "validTo", status, "sourceTime"
     from (
       select distinct on (s.id) s.id, s."subjectKind", s."subjectId", s.title, s.level, s.year, s.status, s."sourceTime",
         -- the period never changes: one grant in the batch tells it to a revocation or expiry given with it
         coalesce(s."validFrom", max(s."validFrom") over (partition by s.id)) as "validFrom",
         coalesce(s."validTo", max(s."validTo") over (partition by s.id)) as "validTo"
       from jsonb_to_recordset(?::jsonb) as s(ord int, id uuid, "subjectKind" text, "subjectId" uuid, title text, level text,
         year int, "validFrom" date, "validTo" date, status text, "sourceTime" timestamptz)
       order by s.id, s."sourceTime" desc, ${rank('s.status')} desc, s.ord desc
     ) n
     on conflict (recognition_id) do update set
       status = case when ${newer} then excluded.status else recognition_fact.status end,
       source_time = case when ${newer} then excluded.source_time else recognition_fact.source_time end,
       valid_from = coalesce(recognition_fact.valid_from, excluded.valid_from),
       valid_to = case when ${newer} then coalesce(excluded.valid_to, recognition_fact.valid_to)
         else coalesce(recognition_fact.valid_to, excluded.valid_to) end
     where ${newer} or (recognition_fact.valid_from is null and excluded.valid_from is not null)`,
    [JSON.stringify(rows)],
  );
}

const factHandler: InboxHandler = { one: (event, em) => applyRecognitionEvents([event], em), many: applyRecognitionEvents };

/** Handlers of the `xhht.reporting.recognitions` group: one batch form for every recognition event type. */
export const recognitionFactHandlers: Record<string, InboxHandler> = Object.fromEntries(
  Object.keys(STATUS_OF).map((type) => [type, factHandler]),
);
