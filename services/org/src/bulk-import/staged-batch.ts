import { isDeepStrictEqual } from 'node:util';
import { EventValidationError, expandOutboxBatch, outboxBatchInsertSql, outboxEventTemplates, type OutboxBatchPayload } from '@xhht/infra';
import type { ImportContext } from './context';
import { bulkTransaction, copyRows } from './copy';

/**
 * A batch of accepted rows written with its events in one statement: the rows are copied into a
 * temporary table, upserted by natural key (unit, code), and one event per row written is staged
 * in the outbox, built in SQL, in the same transaction (sent at least once, with the rows or not
 * at all; the batch's events share one outbox row). Rows that change nothing are not written and
 * get no event.
 */
export interface StagedBatch {
  /** Temporary table the lines are copied into; its columns (name → SQL type) in the lines' order. `u` and `c` are the unit and code. */
  temp: { name: string; columns: Record<string, string> };
  /** Rows in COPY text format (`copyLine`). */
  lines: string[];
  /**
   * Leaves out, before the upsert, rows already there with the same values (see UnchangedProbe):
   * the target table and its compared columns, each with the temporary table's column.
   */
  skipUnchanged?: { table: string; compare: Record<string, string> };
  /** `insert into … select … from changed on conflict … returning …, (xmax = 0) as inserted`, with `$1…` of `params`. */
  upsert: string;
  params: unknown[];
  /** jsonb expression over the upsert's returned columns: each event's data. */
  eventData: string;
  types: { registered: string; updated: string };
  /** The domain's own payload function, which one staged event of each type must match. */
  domainData: (values: any) => object;
}

/** What the statement returns. */
interface StagedCounts {
  inserted: number;
  updated: number;
  events: number;
  /** One staged event of each type, as the batch row holds it. */
  samples: OutboxBatchPayload['events'];
}

/** Writes the batch and its events, checks them, counts them; returns how many rows it wrote. */
export async function writeStagedBatch(ctx: ImportContext, b: StagedBatch): Promise<number> {
  const names = Object.keys(b.temp.columns);
  const columns = names.map((n) => `${n} ${b.temp.columns[n]}`).join(', ');
  const n = b.params.length;
  // A scalar subquery, so each row is one probe of the unique index: as NOT EXISTS the planner may
  // hash the whole table for every batch. The upsert's own WHERE still decides for rows that
  // change in between (a concurrent writer): unchanged ones are not returned.
  const skip = b.skipUnchanged;
  const changed = skip
    ? `select s.* from ${b.temp.name} s
       where (select true from ${skip.table} t where t.unit_id = s.u and t.code = s.c
         and (${Object.keys(skip.compare).map((c) => `t.${c}`)}) is not distinct from (${Object.values(skip.compare).map((c) => `s.${c}`)})) is null`
    : `select * from ${b.temp.name}`;
  return bulkTransaction(ctx.orm, { [b.temp.name]: columns }, async (client) => {
    await copyRows(client, b.temp.name, names, b.lines);
    const outbox = outboxBatchInsertSql('events', `$${n + 3}`);
    const templates = outboxEventTemplates([b.types.registered, b.types.updated]);
    const result = await client.query<StagedCounts>(
      `with changed as (${changed}),
       written as (${b.upsert}),
       events as (
         select id::text as subject, case when inserted then $${n + 1} else $${n + 2} end as event_type, ${b.eventData} as data
         from written
       ),
       built as (${outbox.built}),
       staged as (${outbox.insert('built')})
       select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated,
         (select coalesce(sum(event_count), 0) from staged)::int as events,
         array(select distinct on (event_type) item from built) as samples
       from written`,
      [...b.params, b.types.registered, b.types.updated, templates],
    );
    const counts = result.rows[0]!;
    checkStagedEvents(ctx, counts, templates, b.domainData);
    ctx.counts.inserted += counts.inserted;
    ctx.counts.updated += counts.updated;
    return counts.inserted + counts.updated;
  });
}

/**
 * Checks, inside its transaction, a batch whose events were built in SQL. Each event's values come
 * from a row that passed the row checks, and those guarantee what the event schema asks of them
 * (codes of 1 to 50 characters, ids the database generated, enums read from fixed lists). So
 * instead of validating every event, one event of each type per batch is expanded as the relay will
 * send it and validated against the catalog (envelope and data), and its data is compared with what the domain's payload
 * function gives for the same values: a statement whose events drift from the catalog, or from the
 * events the rest of the service emits, fails its first batch.
 */
function checkStagedEvents(ctx: ImportContext, r: StagedCounts, templates: string, data: (values: any) => object): void {
  if (r.events !== r.inserted + r.updated) throw new Error(`${r.inserted + r.updated} rows written but ${r.events} events staged`);
  const envelopes = Object.fromEntries(Object.entries(JSON.parse(templates)).map(([type, t]: [string, any]) => [type, t.envelope]));
  for (const event of expandOutboxBatch({ envelopes, events: r.samples })) {
    ctx.catalog.validate(event);
    if (!isDeepStrictEqual(data(event.data), event.data)) {
      throw new EventValidationError(`data of ${event.type} differs from the domain's payload: ${JSON.stringify(event.data)}`, event.type);
    }
  }
}

/**
 * Whether a batch leaves out, before its upsert, the rows already there unchanged. That costs one
 * probe of the unique index per row; without it the upsert locks (and so writes) each unchanged
 * row, though it neither changes it nor emits an event. A file of new rows has none, a re-run
 * has nothing else: the probe is on for the first batch and after any batch that met an unchanged
 * row, off after a batch that met none.
 */
export class UnchangedProbe {
  private on = true;

  get enabled(): boolean {
    return this.on;
  }

  /** Rows the batch staged, and how many of them it wrote. */
  record(staged: number, written: number): void {
    this.on = written < staged;
  }
}
