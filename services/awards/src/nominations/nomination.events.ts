import { newEvent, type CloudEvent } from '@xhht/infra';
import type { AwardRound } from '../rounds/award-round.repository';
import type { NominationRow } from './nomination.repository';

export const NOMINATION_SUBMITTED = 'vn.xhht.awards.nomination.submitted.v1';
export const NOMINATION_RETURNED = 'vn.xhht.awards.nomination.returned.v1';
export const NOMINATION_APPROVED = 'vn.xhht.awards.nomination.approved.v1';
export const NOMINATION_REJECTED = 'vn.xhht.awards.nomination.rejected.v1';
export const NOMINATION_WITHDRAWN = 'vn.xhht.awards.nomination.withdrawn.v1';

/** Who ended a review: the reviewing officers by hand, or the council's vote (nomination.voted.v1 carries its tally, just before). */
export type ReviewPath = 'REVIEW' | 'COUNCIL';

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

/** A step someone took on a nomination: the facts, `<verb>At` and `<verb>By` (the account), and `extra`; any reason stays here. */
const stepEvent = (type: string, verb: string, n: NominationRow, round: AwardRound, extra: Record<string, unknown> = {}): CloudEvent =>
  newEvent(type, n.id, { ...facts(n, round), ...extra, [`${verb}At`]: n.updatedAt.toISOString(), [`${verb}By`]: n.updatedBy }, n.updatedAt);

/** The receiving level sent a nomination back for completion; the reason stays in the service (it may name people). */
export const nominationReturnedEvent = (n: NominationRow, round: AwardRound) => stepEvent(NOMINATION_RETURNED, 'returned', n, round);

/** The round's level approved a nomination: it may now be decided, or escalated to the level above. */
export const nominationApprovedEvent = (n: NominationRow, round: AwardRound, through: ReviewPath) =>
  stepEvent(NOMINATION_APPROVED, 'approved', n, round, { through });

/** The round's level refused a nomination (final; its achievement is free again). The reason stays in the service. */
export const nominationRejectedEvent = (n: NominationRow, round: AwardRound, through: ReviewPath) =>
  stepEvent(NOMINATION_REJECTED, 'rejected', n, round, { through });

/** The proposing unit took its proposal back (final). The reason stays in the service. */
export const nominationWithdrawnEvent = (n: NominationRow, round: AwardRound) => stepEvent(NOMINATION_WITHDRAWN, 'withdrawn', n, round);
