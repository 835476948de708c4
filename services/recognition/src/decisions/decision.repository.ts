import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { rawQuery, uuidArray } from '@xhht/infra';

export interface RecognitionDecision {
  id: string;
  cycleId: string;
  number: string;
  date: string;
  signerName: string;
  signerTitle: string;
  decidingUnitId: string;
  title: string;
  year: number;
  late: boolean;
  recognitionCount: number;
  levelCounts: Record<string, number>;
  createdAt: string;
  createdBy: string;
}

export const DECISION_COLUMNS = `d.id, d.cycle_id as "cycleId", d.number, d.decision_date::text as date, d.signer_name as "signerName",
  d.signer_title as "signerTitle", d.deciding_unit_id as "decidingUnitId", d.title, d.year, d.late,
  d.recognition_count as "recognitionCount", d.level_counts as "levelCounts", to_json(d.created_at) #>> '{}' as "createdAt",
  d.created_by as "createdBy"`;

export async function findDecision(em: EntityManager, id: string): Promise<RecognitionDecision | null> {
  const [d] = await rawQuery<RecognitionDecision[]>(em, `select ${DECISION_COLUMNS} from recognition_decision d where d.id = ?`, [id]);
  return d ?? null;
}

/** Decisions by id, one statement per batch. */
export const decisionLoader = (em: EntityManager) =>
  new DataLoader<string, RecognitionDecision | null>(async (ids) => {
    const rows = await rawQuery<RecognitionDecision[]>(
      em,
      `select ${DECISION_COLUMNS} from recognition_decision d where d.id = any(?::uuid[])`,
      [uuidArray(ids)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** A page of decisions, newest first, optionally of one cycle and/or decided by units among `units`. */
export async function listDecisions(
  em: EntityManager,
  filter: { cycleId?: string | null; units?: string[] | null },
  page: { limit: number; offset: number },
): Promise<{ rows: RecognitionDecision[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.cycleId) {
    where.push('d.cycle_id = ?');
    params.push(filter.cycleId);
  }
  if (filter.units) {
    where.push('d.deciding_unit_id = any(?::uuid[])');
    params.push(uuidArray(filter.units));
  }
  const rows = await rawQuery<(RecognitionDecision & { total: string })[]>(
    em,
    `select ${DECISION_COLUMNS}, count(*) over () as total from recognition_decision d
     ${where.length ? `where ${where.join(' and ')}` : ''}
     order by d.decision_date desc, d.created_at desc, d.id limit ? offset ?`,
    [...params, page.limit, page.offset],
  );
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && page.offset > 0) {
    const [c] = await rawQuery<{ n: string }[]>(
      em,
      `select count(*) as n from recognition_decision d ${where.length ? `where ${where.join(' and ')}` : ''}`,
      params,
    );
    total = Number(c?.n ?? 0);
  }
  return { rows: rows.map(({ total: _t, ...r }) => r), total };
}
