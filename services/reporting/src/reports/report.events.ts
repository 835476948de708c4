import { newEvent, type CloudEvent } from '@xhht/infra';
import type { ReporterRow, ReportRequestRow, StoredStatus } from './report.repository';
import type { ReportKind, Timeliness } from './report-stats';

export const REPORT_SUBMITTED = 'vn.xhht.reporting.report.submitted.v1';
export const REPORT_ACCEPTED = 'vn.xhht.reporting.report.accepted.v1';
export const REPORT_RETURNED = 'vn.xhht.reporting.report.returned.v1';
export const REPORT_OVERDUE = 'vn.xhht.reporting.report.overdue.v1';

/** What every report event says about the request and the reporter: ids and dates, never a person's name. */
export interface ReportFacts {
  requestId: string;
  kind: ReportKind;
  year: number;
  requestingUnitId: string;
  requestingOrganizationId: string | null;
  reporterKind: ReporterRow['reporterKind'];
  reporterId: string;
  reporterUnitId: string;
  level: string;
  dueDate: string;
  timeliness: Timeliness;
}

export const reportFacts = (
  q: Pick<ReportRequestRow, 'id' | 'kind' | 'year' | 'requestingUnitId' | 'requestingOrganizationId' | 'dueDate'>,
  r: ReporterRow,
  timeliness: Timeliness,
): ReportFacts => ({
  requestId: q.id,
  kind: q.kind,
  year: q.year,
  requestingUnitId: q.requestingUnitId,
  requestingOrganizationId: q.requestingOrganizationId,
  reporterKind: r.reporterKind,
  reporterId: r.reporterId,
  reporterUnitId: r.unitId,
  level: r.level,
  dueDate: q.dueDate,
  timeliness,
});

/**
 * Report events are keyed by the request: a partner reads one request's submissions, returns,
 * acceptances and overdue notices in the order they happened.
 */
export const submittedEvent = (
  facts: ReportFacts,
  s: { submissionId: string; submittedAt: Date; resubmission: boolean; version: number; submittedBy: string },
): CloudEvent => newEvent(REPORT_SUBMITTED, facts.requestId, { ...facts, ...s, submittedAt: s.submittedAt.toISOString() }, s.submittedAt);

export const acceptedEvent = (
  facts: ReportFacts,
  s: { submissionId: string; acceptedAt: Date; version: number; acceptedBy: string },
): CloudEvent => newEvent(REPORT_ACCEPTED, facts.requestId, { ...facts, ...s, acceptedAt: s.acceptedAt.toISOString() }, s.acceptedAt);

export const returnedEvent = (
  facts: ReportFacts,
  s: { submissionId: string; reason: string; returnedAt: Date; version: number; returnedBy: string },
): CloudEvent => newEvent(REPORT_RETURNED, facts.requestId, { ...facts, ...s, returnedAt: s.returnedAt.toISOString() }, s.returnedAt);

export const overdueEvent = (
  facts: ReportFacts,
  s: { submissionId: string | null; status: 'NOT_STARTED' | Extract<StoredStatus, 'DRAFT'>; detectedAt: Date },
): CloudEvent => newEvent(REPORT_OVERDUE, facts.requestId, { ...facts, ...s, detectedAt: s.detectedAt.toISOString() }, s.detectedAt);
