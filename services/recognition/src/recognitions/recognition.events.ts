/** Event types of recognitions and decisions (schemas in schema/events). */
export const RECOGNITION_GRANTED = 'vn.xhht.recognition.recognition.granted.v1';
export const RECOGNITION_REVOKED = 'vn.xhht.recognition.recognition.revoked.v1';
export const RECOGNITION_EXPIRED = 'vn.xhht.recognition.recognition.expired.v1';
export const DECISION_ISSUED = 'vn.xhht.recognition.decision.issued.v1';

/** What every recognition event says about the recognition itself. */
export interface RecognitionFacts {
  recognitionId: string;
  decisionId: string;
  subjectKind: string;
  subjectId: string;
  title: string;
  level: string;
  year: number;
}

export interface GrantedData extends RecognitionFacts {
  validFrom: string;
  validTo: string;
  decisionNumber: string;
  decisionDate: string;
  decidingUnitId: string;
}

const facts = (v: RecognitionFacts): RecognitionFacts => ({
  recognitionId: v.recognitionId,
  decisionId: v.decisionId,
  subjectKind: v.subjectKind,
  subjectId: v.subjectId,
  title: v.title,
  level: v.level,
  year: v.year,
});

/** The granted event's data; the bulk decision builds the same object in SQL (`grantedDataSql`) and is checked against this. */
export const grantedData = (v: GrantedData): GrantedData => ({
  ...facts(v),
  validFrom: v.validFrom,
  validTo: v.validTo,
  decisionNumber: v.decisionNumber,
  decisionDate: v.decisionDate,
  decidingUnitId: v.decidingUnitId,
});

/** The granted events' fields a whole decision shares, staged once per decision (see `sqlEvents`). */
export const grantedCommonData = (v: Omit<GrantedData, 'recognitionId' | 'subjectKind' | 'subjectId' | 'level'>) => ({
  decisionId: v.decisionId,
  title: v.title,
  year: v.year,
  validFrom: v.validFrom,
  validTo: v.validTo,
  decisionNumber: v.decisionNumber,
  decisionDate: v.decisionDate,
  decidingUnitId: v.decidingUnitId,
});

/** Each granted event's own fields, as a jsonb expression over a recognition row `r`. */
export const grantedOwnDataSql = (r: string) =>
  `jsonb_build_object('recognitionId', ${r}.id, 'subjectKind', ${r}.subject_kind, 'subjectId', ${r}.subject_id, 'level', ${r}.level)`;

export interface RevokedData extends RecognitionFacts {
  reason: string;
  revokedAt: string;
}
export const revokedData = (v: RevokedData): RevokedData => ({ ...facts(v), reason: v.reason, revokedAt: v.revokedAt });

export interface ExpiredData extends RecognitionFacts {
  validTo: string;
}
export const expiredData = (v: ExpiredData): ExpiredData => ({ ...facts(v), validTo: v.validTo });

/** `expiredData` as a jsonb expression over a recognition row. */
export const expiredDataSql = (r: string) => `jsonb_build_object(
  'recognitionId', ${r}.id, 'decisionId', ${r}.decision_id, 'subjectKind', ${r}.subject_kind, 'subjectId', ${r}.subject_id,
  'title', ${r}.title, 'level', ${r}.level, 'year', ${r}.year, 'validTo', ${r}.valid_to::text)`;
