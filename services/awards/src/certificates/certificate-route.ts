import type http from 'node:http';
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
  type StreamRouteRequest,
} from '@xhht/infra';
import { canReadAwardee } from '../decisions/award-decision.domain';
import { awardsOfDecisions, loadAwards, loadDecisions, type AwardRow } from '../decisions/award-decision.repository';
import { formsAt } from '../forms/award-form.repository';
import { loadNominations } from '../nominations/nomination.repository';
import { certificateContent } from './certificate-content';
import { renderCertificatePdf, renderCertificatesPdf } from './certificate-pdf';

export const CERTIFICATES_ROUTE = '/certificates';

/**
 * `GET /certificates/<awardId>` → the award's certificate as a PDF, printed from its decision, for
 * whoever may read the awardee (`canReadAwardee`; the gateway has refused callers without a token).
 * A revoked award has no certificate any more (409 AWARD_REVOKED).
 * `GET /certificates/decisions/<decisionId>` → in one PDF, a page for each award of the decision the
 * caller may print (the issuing unit's officers: all; a proposing unit: its own), revoked ones left out.
 */
export function certificateRoutes(): HttpRoute[] {
  return [
    {
      kind: 'authenticated-stream',
      methods: ['GET'],
      path: CERTIFICATES_ROUTE,
      async handle(_req, res, request) {
        if (request.rest.startsWith('decisions/')) return printDecision(res, request, request.rest.slice('decisions/'.length));
        return printAward(res, request, request.rest);
      },
    },
  ];
}

const revokedMessage = (a: AwardRow) => `Khen thưởng đã bị thu hồi ngày ${a.revokedOn} (quyết định ${a.revocationRef})`;

function sendPdf(res: http.ServerResponse, pdf: Buffer, fileName: string, ascii: string): void {
  res.writeHead(200, {
    'content-type': 'application/pdf',
    'content-length': pdf.length,
    'content-disposition': contentDisposition(fileName, ascii),
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  });
  res.end(pdf);
}

async function printAward(res: http.ServerResponse, { auth, em, logger }: StreamRouteRequest, awardId: string): Promise<void> {
  if (!isUuid(awardId)) throw badInput(`Mã khen thưởng không hợp lệ: ${awardId}`, 'INVALID_AWARD_ID', ['awardId']);
  const award = (await loadAwards(em, [awardId])).get(awardId);
  if (!award) throw notFound('Không tìm thấy khen thưởng', 'AWARD_NOT_FOUND', ['awardId']);
  const nomination = (await loadNominations(em, [award.nominationId])).get(award.nominationId) ?? null;
  if (!(await canReadAwardee(auth, new ReplicaScope(em), award, nomination))) {
    throw forbidden('Chỉ người được khen thưởng, đơn vị đề nghị và cơ quan ra quyết định được tải bản in khen thưởng', 'OUTSIDE_SCOPE');
  }
  if (award.revokedOn) throw conflict(revokedMessage(award), 'AWARD_REVOKED', ['awardId']);
  const decision = (await loadDecisions(em, [award.decisionId])).get(award.decisionId)!;
  const form = (await formsAt(em, [decision.formCode], decision.decidedOn)).get(decision.formCode)!;
  const pdf = await renderCertificatePdf(certificateContent(award, decision, form));
  const register = award.registerNumber.replace('/', '-');
  sendPdf(
    res,
    pdf,
    `${form.name} – ${award.awardeeName}.pdf`,
    `khen-thuong-${fileNameSlug(award.awardeeName) || register}-${register}.pdf`,
  );
  // the awardee's name is personal data: the log names the award only
  logger.info({ awardId: award.id, decisionId: decision.id, bytes: pdf.length }, 'certificate printed');
}

async function printDecision(res: http.ServerResponse, { auth, em, logger }: StreamRouteRequest, decisionId: string): Promise<void> {
  if (!isUuid(decisionId)) throw badInput(`Mã quyết định không hợp lệ: ${decisionId}`, 'INVALID_DECISION_ID', ['decisionId']);
  const decision = (await loadDecisions(em, [decisionId])).get(decisionId);
  if (!decision) throw notFound('Không tìm thấy quyết định khen thưởng', 'DECISION_NOT_FOUND', ['decisionId']);
  const awards = await awardsOfDecisions(em, [decision.id]);
  const nominations = await loadNominations(
    em,
    awards.map((a) => a.nominationId),
  );
  const scope = new ReplicaScope(em);
  const readable: AwardRow[] = [];
  for (const a of awards) if (await canReadAwardee(auth, scope, a, nominations.get(a.nominationId) ?? null)) readable.push(a);
  if (readable.length === 0) {
    throw forbidden('Không có khen thưởng nào của quyết định này mà bạn được tải bản in', 'OUTSIDE_SCOPE');
  }
  const printable = readable.filter((a) => !a.revokedOn);
  if (printable.length === 0)
    throw conflict('Các khen thưởng bạn được in của quyết định này đều đã bị thu hồi', 'AWARD_REVOKED', ['decisionId']);
  const form = (await formsAt(em, [decision.formCode], decision.decidedOn)).get(decision.formCode)!;
  const title = `Quyết định số ${decision.number} – ${form.name}`;
  const pdf = await renderCertificatesPdf(
    printable.map((a) => certificateContent(a, decision, form)),
    title,
  );
  const slug = fileNameSlug(decision.number) || decision.id;
  sendPdf(res, pdf, `${title}.pdf`, `khen-thuong-quyet-dinh-${slug}.pdf`);
  logger.info({ decisionId: decision.id, pages: printable.length, bytes: pdf.length }, 'decision certificates printed');
}
