import { newEvent, type CloudEvent } from '@xhht/infra';
import type { AwardRound } from '../rounds/award-round.repository';
import type { NominationRow } from './nomination.repository';

export const NOMINATION_SUBMITTED = 'vn.xhht.awards.nomination.submitted.v1';
export const NOMINATION_RETURNED = 'vn.xhht.awards.nomination.returned.v1';

/** Ids, the form and the round only: the summary, evidence and the nominee's details stay in the service. */
const facts = (n: NominationRow, round: AwardRound) => ({
  nominationId: n.id,
  roundId: round.id,
  roundScopeUnitId: round.scopeUnitId,
  formCode: n.formCode,
  nomineeKind: n.nomineeKind,
  nomineeId: n.nomineeId,
  proposingUnitId: n.proposingUnitId,
  escalatedFrom: n.escalatedFrom,
  version: n.version,
});

/** A unit sent a nomination up; keyed by the nomination. */
export const nominationSubmittedEvent = (n: NominationRow, round: AwardRound): CloudEvent =>
  newEvent(
    NOMINATION_SUBMITTED,
    n.id,
    { ...facts(n, round), eligible: n.eligibility?.eligible ?? false, submittedAt: n.submittedAt!.toISOString() },
    n.submittedAt!,
  );

/** The receiving level sent a nomination back for completion; the reason stays in the service (it may name people). */
export const nominationReturnedEvent = (n: NominationRow, round: AwardRound): CloudEvent =>
  newEvent(NOMINATION_RETURNED, n.id, { ...facts(n, round), returnedAt: n.updatedAt.toISOString(), returnedBy: n.updatedBy }, n.updatedAt);
