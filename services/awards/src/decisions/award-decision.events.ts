import { newEvent, type CloudEvent } from '@xhht/infra';
import type { AwardForm } from '../forms/award-form.repository';
import type { AwardDecisionRow, AwardRow } from './award-decision.repository';

export const AWARD_DECIDED = 'vn.xhht.awards.award.decided.v1';
export const AWARD_REVOKED = 'vn.xhht.awards.award.revoked.v1';

/**
 * An authority issued an award decision; keyed by the decision. Ids, the form, the number and the
 * register numbers: awardees' names (personal data for persons and households) stay in the service.
 */
export const awardDecidedEvent = (d: AwardDecisionRow, form: AwardForm, awards: AwardRow[]): CloudEvent =>
  newEvent(
    AWARD_DECIDED,
    d.id,
    {
      decisionId: d.id,
      number: d.number,
      decidedOn: d.decidedOn,
      roundId: d.roundId,
      formCode: d.formCode,
      authorityLevel: form.authorityLevel,
      issuingUnitId: d.issuingUnitId,
      awards: awards.map((a) => ({
        awardId: a.id,
        nominationId: a.nominationId,
        nomineeKind: a.nomineeKind,
        nomineeId: a.nomineeId,
        nomineeUnitId: a.nomineeUnitId,
        registerNumber: a.registerNumber,
      })),
      decidedBy: d.createdBy,
    },
    d.createdAt,
  );

/** An award was revoked; keyed by its decision, so a partner reads a decision's grant and revocations in order. The reason stays in the service. */
export const awardRevokedEvent = (a: AwardRow, d: AwardDecisionRow): CloudEvent =>
  newEvent(
    AWARD_REVOKED,
    d.id,
    {
      awardId: a.id,
      decisionId: d.id,
      decisionNumber: d.number,
      formCode: d.formCode,
      issuingUnitId: a.issuingUnitId,
      nomineeKind: a.nomineeKind,
      nomineeId: a.nomineeId,
      revokedOn: a.revokedOn!,
      revocationRef: a.revocationRef!,
      revokedAt: a.revokedAt!.toISOString(),
      revokedBy: a.revokedBy!,
    },
    a.revokedAt!,
  );
