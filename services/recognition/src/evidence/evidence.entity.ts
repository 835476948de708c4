import { EntitySchema } from '@mikro-orm/core';

/** An uploaded file. Its bytes live on disk under EVIDENCE_DIR at `storagePath`, named by their sha256. */
export class EvidenceFile {
  id!: string;
  /** Lower-case hex sha256 of the content. */
  sha256!: string;
  sizeBytes!: number;
  /** The type the bytes are (sniffed), never merely the one declared. */
  contentType!: string;
  fileName!: string;
  storagePath!: string;
  uploadedBy!: string;
  uploadedAt: Date = new Date();
}

/** One piece of evidence for one indicator of an assessment: an uploaded file or a web address. */
export class AssessmentEvidence {
  id!: string;
  assessmentId!: string;
  indicatorCode!: string;
  evidenceFileId?: string | null;
  url?: string | null;
  createdAt: Date = new Date();
  createdBy!: string;
}

export const EvidenceFileSchema = new EntitySchema<EvidenceFile>({
  class: EvidenceFile,
  tableName: 'evidence_file',
  properties: {
    id: { type: 'uuid', primary: true },
    sha256: { type: 'text' },
    sizeBytes: { type: 'integer', fieldName: 'size_bytes' },
    contentType: { type: 'text', fieldName: 'content_type' },
    fileName: { type: 'text', fieldName: 'file_name' },
    storagePath: { type: 'text', fieldName: 'storage_path' },
    uploadedBy: { type: 'text', fieldName: 'uploaded_by' },
    uploadedAt: { type: 'Date', fieldName: 'uploaded_at' },
  },
});

export const AssessmentEvidenceSchema = new EntitySchema<AssessmentEvidence>({
  class: AssessmentEvidence,
  tableName: 'assessment_evidence',
  properties: {
    id: { type: 'uuid', primary: true },
    assessmentId: { type: 'uuid', fieldName: 'assessment_id' },
    indicatorCode: { type: 'text', fieldName: 'indicator_code' },
    evidenceFileId: { type: 'uuid', fieldName: 'evidence_file_id', nullable: true },
    url: { type: 'text', nullable: true },
    createdAt: { type: 'Date', fieldName: 'created_at' },
    createdBy: { type: 'text', fieldName: 'created_by' },
  },
});
