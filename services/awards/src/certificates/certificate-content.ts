import type { AwardDecisionRow, AwardRow } from '../decisions/award-decision.repository';
import type { AwardForm } from '../forms/award-form.repository';
import type { CertificateContent } from './certificate-pdf';

/**
 * The certificate's heading from the form's name: "BẰNG KHEN", "GIẤY KHEN", or an emulation title's
 * own words ("LAO ĐỘNG TIÊN TIẾN").
 */
export function certificateHeading(formName: string): string {
  const name = formName.normalize('NFC');
  const title = /^Danh hiệu\s+"(.+)"/u.exec(name);
  if (title) return title[1]!.toLocaleUpperCase('vi');
  const paper = /^(Bằng khen|Giấy khen)/u.exec(name);
  return (paper ? paper[1]! : name).toLocaleUpperCase('vi');
}

/** What one awardee's certificate prints, from the decision that grants it. */
export function certificateContent(award: AwardRow, decision: AwardDecisionRow, form: AwardForm): CertificateContent {
  return {
    authority: decision.issuingBody,
    heading: certificateHeading(form.name),
    grantor: decision.grantor,
    awardee: award.awardeeName,
    ...(award.awardeeDetail ? { awardeeDetail: award.awardeeDetail } : {}),
    achievement: award.citation ?? decision.citation,
    place: decision.place,
    date: decision.decidedOn,
    signerTitle: decision.signerTitle,
    signerName: decision.signerName,
    decisionNumber: decision.number,
    decisionDate: decision.decidedOn,
    registerNumber: award.registerNumber,
  };
}
