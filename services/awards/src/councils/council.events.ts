import { newEvent, type CloudEvent } from '@xhht/infra';
import type { ItemRow, SessionRow } from './council.repository';

export const NOMINATION_VOTED = 'vn.xhht.awards.nomination.voted.v1';

/**
 * Keyed by the nomination, so its votes follow its other events. The tally and the outcome only:
 * never who voted how, nor who declared a conflict of interest.
 */
export function nominationVotedEvent(item: ItemRow, session: SessionRow): CloudEvent {
  const t = item.tally!;
  return newEvent(
    NOMINATION_VOTED,
    item.nominationId!,
    {
      nominationId: item.nominationId!,
      agendaItemId: item.id,
      sessionId: session.id,
      councilId: item.councilId,
      unitId: item.unitId,
      sessionDate: session.sessionDate,
      secretBallot: item.secretBallot,
      outcome: item.outcome!,
      tally: {
        members: t.members,
        present: t.present,
        conflicted: t.conflicted,
        base: t.base,
        approve: t.approve,
        reject: t.reject,
        abstain: t.abstain,
        excluded: t.excluded,
        quorumMet: t.quorumMet,
      },
      quorum: t.rules.quorum,
      passThreshold: t.rules.passThreshold,
      closedAt: item.closedAt!.toISOString(),
    },
    item.closedAt!,
  );
}
