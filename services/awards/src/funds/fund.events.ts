import { newEvent, type CloudEvent } from '@xhht/infra';
import type { FundRow, MovementRow } from './fund.repository';

export const FUND_MOVEMENT_RECORDED = 'vn.xhht.awards.fund-movement.recorded.v1';

/**
 * Keyed by the fund, so a partner reads one fund's movements in the order of its balance. Ids and
 * amounts only: donors' and recipients' names, receipt numbers and reasons stay in the service.
 */
export const movementRecordedEvent = (fund: FundRow, m: MovementRow): CloudEvent =>
  newEvent(
    FUND_MOVEMENT_RECORDED,
    fund.id,
    {
      movementId: m.id,
      fundId: fund.id,
      unitId: fund.unitId,
      organizationId: fund.organizationId,
      sequence: m.sequence,
      kind: m.kind,
      direction: m.direction,
      amount: m.amount,
      balanceAfter: m.balanceAfter,
      occurredOn: m.occurredOn,
      programmeCode: m.programmeCode,
      recipientPersonId: m.recipientPersonId,
      donorOrganizationId: m.donorOrganizationId,
      awardDecisionId: m.awardDecisionId,
      reversesMovementId: m.reversesId,
      recordedAt: m.recordedAt.toISOString(),
      recordedBy: m.recordedBy,
    },
    m.recordedAt,
  );
