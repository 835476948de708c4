import { randomUUID } from 'node:crypto';
import { AuthContext, applyParticipantEvents, newEvent, ReplicaScope, type MikroORM } from '@xhht/infra';
import { createAwardRound, openAwardRound } from '../../services/awards/src/rounds/award-round.domain';
import {
  createNomination,
  receiveNomination,
  startNominationReview,
  submitNomination,
} from '../../services/awards/src/nominations/nomination.domain';
import type { NominationRow } from '../../services/awards/src/nominations/nomination.repository';

/** The transaction awards' domain functions run in. */
type EntityManager = Parameters<typeof createNomination>[0];

const admin = new AuthContext({ subject: 'test-admin', roles: [{ role: 'SYSTEM_ADMIN' }] });

const runIn =
  (orm: MikroORM) =>
  <T>(work: (em: EntityManager, scope: ReplicaScope) => Promise<{ result: T }>): Promise<T> =>
    orm.em
      .fork()
      .transactional(async (tx) => (await work(tx as unknown as EntityManager, new ReplicaScope(tx as unknown as EntityManager))).result);

/** A household registered in `unitId`, written into awards' participant replica; its id. */
export async function replicaHousehold(orm: MikroORM, unitId: string): Promise<string> {
  const id = randomUUID();
  await orm.em
    .fork()
    .transactional((tx) =>
      applyParticipantEvents(
        [newEvent('vn.xhht.org.household.registered.v1', id, { id, unitId, code: id.slice(0, 8) })],
        tx as unknown as EntityManager,
      ),
    );
  return id;
}

/** An OPEN ad-hoc round of 2026 on `scopeUnitId` awarding the forms, without quotas or rules; its id. */
export async function openRound(orm: MikroORM, scopeUnitId: string, formCodes: string[]): Promise<string> {
  const run = runIn(orm);
  const round = await run((em, scope) =>
    createAwardRound(em, admin, scope, {
      scopeUnitId,
      kind: 'AD_HOC',
      year: 2026,
      name: 'Đợt khen thưởng đột xuất',
      nominationDeadline: '2026-12-20',
      decisionDeadline: '2026-12-28',
      forms: formCodes.map((formCode) => ({ formCode })),
    }),
  );
  await run((em, scope) => openAwardRound(em, admin, scope, round.id));
  return round.id;
}

/**
 * A household of `unitId` nominated in the round by its unit for a free achievement, submitted,
 * received and under review (every step by an administrator).
 */
export async function nominationUnderReview(
  orm: MikroORM,
  p: { roundId: string; unitId: string; formCode?: string; nomineeId?: string; text?: string },
): Promise<NominationRow> {
  const run = runIn(orm);
  const nomineeId = p.nomineeId ?? (await replicaHousehold(orm, p.unitId));
  let n = await run((em, scope) =>
    createNomination(em, admin, scope, {
      roundId: p.roundId,
      formCode: p.formCode ?? 'GIAY_KHEN_CHU_TICH_XA',
      nomineeKind: 'HOUSEHOLD',
      nomineeId,
      proposingUnitId: p.unitId,
      summary: 'Gia đình tiêu biểu trong phong trào xây dựng xã hội học tập',
      achievement: { free: { kind: 'Thành tích phong trào', year: 2025, text: p.text ?? 'Gia đình học tập tiêu biểu năm 2025' } },
    }),
  );
  for (const step of [submitNomination, receiveNomination, startNominationReview]) {
    const at = n;
    n = await run((em, scope) => step(em, admin, scope, { id: at.id, expectedVersion: at.version }));
  }
  return n;
}
