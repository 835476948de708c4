import {
  badInput,
  conflict,
  contentDisposition,
  fileNameSlug,
  forbidden,
  isUuid,
  notFound,
  ReplicaScope,
  type HttpRoute,
} from '@xhht/infra';
import { canReadAwardee } from '../decisions/award-decision.domain';
import { loadAwards, loadDecisions } from '../decisions/award-decision.repository';
import { formsAt } from '../forms/award-form.repository';
import { loadNominations } from '../nominations/nomination.repository';
import { certificateContent } from './certificate-content';
import { renderCertificatePdf } from './certificate-pdf';

export const CERTIFICATES_ROUTE = '/certificates';

/**
 * `GET /certificates/<awardId>` → the award's certificate as a PDF, printed from its decision, for
 * whoever may read the awardee (`canReadAwardee`; the gateway has refused callers without a token).
 * A revoked award has no certificate any more (409 AWARD_REVOKED).
 */
export function certificateRoutes(): HttpRoute[] {
  return [
    {
      kind: 'authenticated-stream',
      methods: ['GET'],
      path: CERTIFICATES_ROUTE,
      async handle(_req, res, { auth, em, logger, rest }) {
        if (!isUuid(rest)) throw badInput(`Mã khen thưởng không hợp lệ: ${rest}`, 'INVALID_AWARD_ID', ['awardId']);
        const award = (await loadAwards(em, [rest])).get(rest);
        if (!award) throw notFound('Không tìm thấy khen thưởng', 'AWARD_NOT_FOUND', ['awardId']);
        const nomination = (await loadNominations(em, [award.nominationId])).get(award.nominationId) ?? null;
        if (!(await canReadAwardee(auth, new ReplicaScope(em), award, nomination))) {
          throw forbidden(
            'Chỉ người được khen thưởng, đơn vị đề nghị và cơ quan ra quyết định được tải bản in khen thưởng',
            'OUTSIDE_SCOPE',
          );
        }
        if (award.revokedOn) {
          throw conflict(`Khen thưởng đã bị thu hồi ngày ${award.revokedOn} (quyết định ${award.revocationRef})`, 'AWARD_REVOKED', [
            'awardId',
          ]);
        }
        const decision = (await loadDecisions(em, [award.decisionId])).get(award.decisionId)!;
        const form = (await formsAt(em, [decision.formCode], decision.decidedOn)).get(decision.formCode)!;
        const pdf = await renderCertificatePdf(certificateContent(award, decision, form));
        const slug = fileNameSlug(award.awardeeName) || award.registerNumber.replace('/', '-');
        res.writeHead(200, {
          'content-type': 'application/pdf',
          'content-length': pdf.length,
          'content-disposition': contentDisposition(
            `${form.name} – ${award.awardeeName}.pdf`,
            `khen-thuong-${slug}-${award.registerNumber.replace('/', '-')}.pdf`,
          ),
          'x-content-type-options': 'nosniff',
          'cache-control': 'private, no-store',
        });
        res.end(pdf);
        // the awardee's name is personal data: the log names the award only
        logger.info({ awardId: award.id, decisionId: decision.id, bytes: pdf.length }, 'certificate printed');
      },
    },
  ];
}
