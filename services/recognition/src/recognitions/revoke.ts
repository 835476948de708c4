import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { conflict, newEvent, notFound, rawQuery, todayInVietnam, type CloudEvent } from '@xhht/infra';
import { RECOGNITION_COLUMNS, type Recognition } from './recognition.repository';
import { RECOGNITION_REVOKED, revokedData } from './recognition.events';

export const revokeInput = z.object({
  id: z.string().uuid(),
  reason: z.string().trim().min(1).max(1000),
});
export type RevokeInput = z.infer<typeof revokeInput>;

/** The recognition with what authorizing its revocation needs: its cycle's title, subject level and deciding unit. */
export async function recognitionWithCycle(
  em: EntityManager,
  id: string,
): Promise<(Recognition & { subjectLevel: string; decidingUnitId: string }) | null> {
  const [r] = await rawQuery<(Recognition & { subjectLevel: string; decidingUnitId: string })[]>(
    em,
    `select ${RECOGNITION_COLUMNS}, c.subject_level as "subjectLevel", c.deciding_unit_id as "decidingUnitId"
     from recognition r join recognition_decision d on d.id = r.decision_id join recognition_cycle c on c.id = d.cycle_id
     where r.id = ?`,
    [id],
  );
  return r ?? null;
}

/**
 * Revokes an active recognition with a reason, in the caller's transaction (the row locked, so a
 * concurrent revocation or the expiry sweeper sees the outcome). Authority is checked by the caller.
 */
export async function revokeRecognition(
  em: EntityManager,
  input: RevokeInput,
  actor: string,
): Promise<{ result: Recognition; events: CloudEvent[] }> {
  const [locked] = await rawQuery<{ status: string; valid_to: string }[]>(
    em,
    'select status, valid_to::text as valid_to from recognition where id = ? for update',
    [input.id],
  );
  if (!locked) throw notFound('Không tìm thấy danh hiệu được công nhận', 'RECOGNITION_NOT_FOUND', ['input', 'id']);
  if (locked.status === 'REVOKED') throw conflict('Danh hiệu này đã bị thu hồi', 'ALREADY_REVOKED', ['input', 'id']);
  if (locked.status === 'EXPIRED' || locked.valid_to < todayInVietnam()) {
    throw conflict('Danh hiệu này đã hết hiệu lực, không thể thu hồi', 'ALREADY_EXPIRED', ['input', 'id']);
  }
  const [r] = await rawQuery<Recognition[]>(
    em,
    `update recognition r set status = 'REVOKED', revoked_reason = ?, revoked_by = ?, revoked_at = now()
     where r.id = ? returning ${RECOGNITION_COLUMNS}`,
    [input.reason, actor, input.id],
  );
  const rec = r!;
  const event = newEvent(
    RECOGNITION_REVOKED,
    rec.subjectId,
    revokedData({ ...rec, recognitionId: rec.id, reason: input.reason, revokedAt: new Date(rec.revokedAt!).toISOString() }),
  );
  return { result: rec, events: [event] };
}
