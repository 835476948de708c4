import type http from 'node:http';
import {
  badInput,
  contentDisposition,
  fileNameSlug,
  isoDateInput,
  isUuid,
  notFound,
  ReplicaScope,
  todayInVietnam,
  type HttpRoute,
  type StreamRouteRequest,
} from '@xhht/infra';
import { requireProgressReader } from '../progress/progress-access';
import { loadProgressExport } from './progress-export';
import { loadReportExport } from './report-export';
import { reportWorkbook } from './report-workbook';
import { progressWorkbook } from './progress-workbook';
import { XLSX_CONTENT_TYPE } from './workbook-style';

export const EXPORTS_ROUTE = '/exports';

export interface ProgressExportQuery {
  unitId: string;
  year: number;
  asOf?: string;
}

/** The one value of a query parameter; refused when given more than once. */
function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw badInput(`Tham số ${name} chỉ được có một giá trị`, 'DUPLICATE_PARAMETER', [name]);
  return values[0];
}

/** `unitId`, `year` and optional `asOf` of a progress export, or BAD_USER_INPUT saying what is wrong. */
export function parseProgressExportQuery(query: URLSearchParams): ProgressExportQuery {
  const unitId = single(query, 'unitId');
  if (unitId === undefined || unitId === '') throw badInput('Thiếu mã đơn vị (unitId)', 'MISSING_UNIT_ID', ['unitId']);
  if (!isUuid(unitId)) throw badInput(`Mã đơn vị không hợp lệ: ${unitId}`, 'INVALID_UNIT_ID', ['unitId']);
  const yearText = single(query, 'year');
  if (yearText === undefined || yearText === '') throw badInput('Thiếu năm báo cáo (year)', 'MISSING_YEAR', ['year']);
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
  if (!(year >= 2000 && year <= 2100)) throw badInput(`Năm ${yearText} không hợp lệ (2000–2100)`, 'YEAR_OUT_OF_RANGE', ['year']);
  const asOf = single(query, 'asOf');
  if (asOf !== undefined && !isoDateInput.safeParse(asOf).success) {
    throw badInput(`Ngày số liệu (asOf) không hợp lệ: ${asOf} (cần dạng YYYY-MM-DD)`, 'INVALID_DATE', ['asOf']);
  }
  return { unitId, year, ...(asOf !== undefined ? { asOf } : {}) };
}

/**
 * `GET /exports/progress?unitId=&year=[&asOf=]` → the unit's progress table as .xlsx, for whoever may
 * read the unit's progress; `GET /exports/reports/<submissionId>` → a submitted report as .xlsx, for
 * whoever may read it (the gateway has refused callers without a token).
 */
export function exportRoutes(): HttpRoute[] {
  return [
    {
      kind: 'authenticated-stream',
      methods: ['GET'],
      path: EXPORTS_ROUTE,
      async handle(req, res, request) {
        if (request.rest === 'progress') return exportProgress(req, res, request);
        if (request.rest.startsWith('reports/')) return exportReport(res, request, request.rest.slice('reports/'.length));
        throw notFound('Không tìm thấy', 'NOT_FOUND');
      },
    },
  ];
}

async function exportProgress(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { auth, em, logger }: StreamRouteRequest,
): Promise<void> {
  const query = parseProgressExportQuery(new URL(req.url ?? '/', 'http://localhost').searchParams);
  // refused before anything is read about the unit, so a refusal says nothing of it
  await requireProgressReader(auth, new ReplicaScope(em), [query.unitId]);
  const asOf = query.asOf ?? todayInVietnam();
  const data = await loadProgressExport(em, query.unitId, query.year, asOf);
  if (!data) throw notFound('Không tìm thấy đơn vị', 'UNIT_NOT_FOUND', ['unitId']);
  const workbook = await progressWorkbook(data);
  const slug = fileNameSlug(data.unit.name) || data.unit.code;
  res.writeHead(200, {
    'content-type': XLSX_CONTENT_TYPE,
    'content-length': workbook.length,
    'content-disposition': contentDisposition(`Tiến độ ${data.unit.name} ${query.year}.xlsx`, `tien-do-${slug}-${query.year}.xlsx`),
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  });
  res.end(workbook);
  logger.info({ unitId: query.unitId, year: query.year, asOf, bytes: workbook.length }, 'progress exported');
}

async function exportReport(res: http.ServerResponse, { auth, em, logger }: StreamRouteRequest, submissionId: string): Promise<void> {
  if (!isUuid(submissionId)) throw badInput(`Mã báo cáo không hợp lệ: ${submissionId}`, 'INVALID_SUBMISSION_ID', ['submissionId']);
  const report = await loadReportExport(em, auth, new ReplicaScope(em), submissionId);
  if (!report) throw notFound('Không tìm thấy báo cáo', 'SUBMISSION_NOT_FOUND', ['submissionId']);
  const workbook = await reportWorkbook(report);
  const slug = fileNameSlug(report.reportingUnitName) || report.reportingUnitCode;
  res.writeHead(200, {
    'content-type': XLSX_CONTENT_TYPE,
    'content-length': workbook.length,
    'content-disposition': contentDisposition(
      `Báo cáo ${report.reportingUnitName} ${report.year}.xlsx`,
      `bao-cao-${slug}-${report.year}.xlsx`,
    ),
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  });
  res.end(workbook);
  logger.info({ submissionId, bytes: workbook.length }, 'report exported');
}
