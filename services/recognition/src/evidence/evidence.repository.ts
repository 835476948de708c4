import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, isUuid, notFound } from '@xhht/infra';
import { AssessmentEvidence, EvidenceFile } from './evidence.entity';

export const MAX_EVIDENCE_URL_LENGTH = 2000;

export interface AttachEvidenceArgs {
  assessmentId: string;
  indicatorCode: string;
  /** An uploaded file; the one who attaches it must be who uploaded it. */
  evidenceFileId?: string | null;
  /** Or a web address (http or https, at most 2000 characters). */
  url?: string | null;
  /** Subject of the caller, recorded as created_by. */
  by: string;
}

/**
 * Links one piece of evidence — an uploaded file or a web address, exactly one — to an indicator
 * of an assessment. Checked here: the assessment exists, the indicator code is not empty, the
 * file exists and was uploaded by `by` (a file id seen elsewhere grants nothing), the address is
 * http(s) and not too long. Refusals are BAD_USER_INPUT (NOT_FOUND for the assessment) naming the
 * field; nothing is written then. Persisted in the caller's unit of work (flushed by its transaction).
 */
export async function attachEvidence(em: EntityManager, args: AttachEvidenceArgs): Promise<AssessmentEvidence> {
  const indicatorCode = args.indicatorCode?.trim() ?? '';
  if (indicatorCode === '')
    throw badInput('Cần mã chỉ tiêu (tiêu chí) cho minh chứng', 'INDICATOR_CODE_REQUIRED', ['input', 'indicatorCode']);
  const fileId = args.evidenceFileId ?? null;
  const url = args.url?.trim() || null;
  if ((fileId === null) === (url === null)) {
    throw badInput('Mỗi minh chứng là một tệp đã tải lên hoặc một đường dẫn, không thiếu cũng không cả hai', 'EVIDENCE_FILE_OR_URL', [
      'input',
      fileId === null ? 'evidenceFileId' : 'url',
    ]);
  }
  if (fileId !== null) {
    const [file] = isUuid(fileId)
      ? await em.execute<{ uploaded_by: string }[]>('select uploaded_by from evidence_file where id = ?', [fileId])
      : [];
    if (!file || file.uploaded_by !== args.by) {
      throw badInput('Không tìm thấy tệp minh chứng này trong các tệp bạn đã tải lên', 'EVIDENCE_FILE_NOT_FOUND', [
        'input',
        'evidenceFileId',
      ]);
    }
  }
  if (url !== null && !isWebAddress(url)) {
    throw badInput(
      `Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https:// và dài tối đa ${MAX_EVIDENCE_URL_LENGTH} ký tự`,
      'EVIDENCE_URL_INVALID',
      ['input', 'url'],
    );
  }
  const [assessment] = isUuid(args.assessmentId)
    ? await em.execute<{ id: string }[]>('select id from assessment where id = ?', [args.assessmentId])
    : [];
  if (!assessment) throw notFound('Không tìm thấy hồ sơ đánh giá', 'ASSESSMENT_NOT_FOUND', ['input', 'assessmentId']);

  const evidence = new AssessmentEvidence();
  evidence.id = randomUUID();
  evidence.assessmentId = args.assessmentId;
  evidence.indicatorCode = indicatorCode;
  evidence.evidenceFileId = fileId;
  evidence.url = url;
  evidence.createdBy = args.by;
  em.persist(evidence);
  return evidence;
}

function isWebAddress(value: string): boolean {
  if (value.length > MAX_EVIDENCE_URL_LENGTH) return false;
  try {
    const parsed = new URL(value);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** Each assessment's evidence, oldest first (an empty list for one without), in one query. */
export async function evidenceForAssessments(
  em: EntityManager,
  assessmentIds: readonly string[],
): Promise<Map<string, AssessmentEvidence[]>> {
  const byAssessment = new Map<string, AssessmentEvidence[]>(assessmentIds.map((id) => [id, []]));
  const ids = [...new Set(assessmentIds.filter(isUuid))];
  if (ids.length === 0) return byAssessment;
  const rows = await em.find(AssessmentEvidence, { assessmentId: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  for (const row of rows) byAssessment.get(row.assessmentId)?.push(row);
  return byAssessment;
}

/** Evidence files by id, one query per request. */
export const evidenceFileLoader = (em: EntityManager) =>
  new DataLoader<string, EvidenceFile | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const found = valid.length > 0 ? await em.find(EvidenceFile, { id: { $in: [...valid] } }) : [];
    const byId = new Map(found.map((f) => [f.id, f]));
    return ids.map((id) => byId.get(id) ?? null);
  });
