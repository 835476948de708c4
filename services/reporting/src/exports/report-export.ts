import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict, rawQuery, type AuthContext, type ReplicaScope } from '@xhht/infra';
import { readableSubmission } from '../reports/report.domain';
import { requestByIdLoader, reporterLoader, submissionByIdLoader, submissionTimeliness } from '../reports/report.repository';
import { REPORT_KIND_NAMES, SUBMISSION_STATUS_NAMES, TIMELINESS_NAMES } from '../reports/report-stats';
import type { ReportExport } from './report-workbook';

/**
 * What the workbook of a submitted report holds, or null when there is no such submission; FORBIDDEN
 * unless the caller may read it, CONFLICT while it is still a draft (nothing was sent yet).
 */
export async function loadReportExport(
  em: EntityManager,
  auth: AuthContext,
  scope: ReplicaScope,
  submissionId: string,
): Promise<(ReportExport & { reportingUnitCode: string }) | null> {
  const loaders = {
    reportSubmissionById: submissionByIdLoader(em),
    reportRequestById: requestByIdLoader(em),
    reporter: reporterLoader(em),
  };
  const found = await readableSubmission(auth, scope, loaders, submissionId);
  if (!found) return null;
  const { submission, request, reporter } = found;
  if (!submission.submittedAt || submission.status === 'DRAFT') {
    throw conflict('Báo cáo chưa được gửi: chỉ xuất được báo cáo đã gửi', 'REPORT_NOT_SUBMITTED');
  }
  // names as they stood when the report was sent: units by their version that day, organizations by the replica
  const day = submission.figuresAsOf;
  const names = await rawQuery<{ id: string; code: string; name: string }[]>(
    em,
    `select u.id, u.code, coalesce(v.name, u.name) as name from admin_unit_replica u
     left join admin_unit_version_replica v on v.unit_id = u.id and v.valid_from <= ?::date and (v.valid_to is null or v.valid_to >= ?::date)
     where u.id in (?, ?)
     union all
     select id, code, name from participant_replica where id = ? and kind = 'ORGANIZATION'`,
    [day, day, request.requestingUnitId, reporter.unitId, reporter.reporterId],
  );
  const nameOf = (id: string) => names.find((n) => n.id === id);
  const reporting = nameOf(reporter.reporterId) ?? nameOf(reporter.unitId);
  const timeliness = submissionTimeliness(request.dueDate, submission) ?? 'ON_TIME';
  return {
    kind: request.kind,
    kindName: REPORT_KIND_NAMES[request.kind],
    year: request.year,
    requestingUnitName: nameOf(request.requestingUnitId)?.name ?? '',
    reportingUnitName: reporting?.name ?? '',
    reportingUnitCode: reporting?.code ?? reporter.reporterId,
    // the account that sent it (officers sign in with their account; no person's name is kept here)
    reporterName: submission.updatedBy,
    dueDate: request.dueDate,
    status: submission.status,
    statusName: SUBMISSION_STATUS_NAMES[submission.status],
    timeliness,
    timelinessName: TIMELINESS_NAMES[timeliness],
    submittedAt: submission.submittedAt,
    figures: submission.figures,
    sections: request.sections.map((s) => ({
      code: s.code,
      title: s.title,
      text: submission.sections.find((t) => t.code === s.code)?.text ?? '',
    })),
  };
}
