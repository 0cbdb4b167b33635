import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  buildEquityReport,
  buildHeardUnansweredReport,
  buildResponseTimeReport,
  buildSentimentReport,
  buildShareOfVoiceReport,
  buildSlaReport,
  buildVolumeReport,
  buildVoiceOfCustomerReport,
  equityReportCsv,
  reportFileName,
  resolvePeriod,
  resolveReportRange,
  seriesReportCsv,
  voiceOfCustomerCsv,
} from '../../../features/insights/index.ts';
import type { ReportGrouping, ReportRange, SeriesReport } from '../../../features/insights/index.ts';
import type { Queryable } from '../../../platform/db/db.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { parseParams } from '../../validation.ts';
import { equityQuerySchema, heardUnansweredQuerySchema, seriesReportQuerySchema, voiceOfCustomerQuerySchema } from './reports.schema.ts';

type SeriesBuilder = (db: Queryable, workspaceId: string, range: ReportRange, groupBy: ReportGrouping, now: Date) => Promise<SeriesReport<string>>;

const seriesReports: { path: string; summary: string; build: SeriesBuilder }[] = [
  {
    path: 'volume',
    summary: "Customers' messages, the brand's messages and cases opened per bucket",
    build: buildVolumeReport,
  },
  {
    path: 'sentiment',
    summary: "Sentiment of customers' messages per bucket: counts, negative share and net sentiment",
    build: buildSentimentReport,
  },
  {
    path: 'response-times',
    summary: 'First-response and resolution times (median, p90; elapsed seconds and business minutes) of the cases that started in each bucket',
    build: buildResponseTimeReport,
  },
  {
    path: 'sla',
    summary: 'SLA attainment (first response, resolution) of the cases that started in each bucket',
    build: buildSlaReport,
  },
  {
    path: 'share-of-voice',
    summary: 'Matched public posts per voice (the brand, each competitor rule) and their share, per bucket (groupBy none or channel)',
    build: buildShareOfVoiceReport,
  },
];

function sendCsv(reply: FastifyReply, name: string, body: string): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .send(body);
}

export function registerReportRoutes(app: FastifyInstance, ctx: AppContext, docs: ApiDocs): void {
  docs.add({
    method: 'get', path: '/api/v1/reports/equity', tag: 'reports', auth: 'user', query: equityQuerySchema,
    summary:
      'Median and p90 first-response and resolution times by channel and by reach bucket at equal severity, with counts and ' +
      'unanswered cases (supervisors); ?format=csv for a spreadsheet-safe CSV',
    responses: { 200: 'the report (JSON or CSV)', 400: 'bad period', 401: 'not signed in', 403: 'role too low' },
  });
  app.get('/api/v1/reports/equity', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const query = parseParams(equityQuerySchema, request.query);
    const now = ctx.clock.now();
    const period = resolvePeriod(query, now);
    const report = await buildEquityReport(ctx.db, principal.workspaceId, period, now);
    if (query.format === 'json') return { data: report };
    return sendCsv(reply, `equity-${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}.csv`, equityReportCsv(report));
  });

  for (const { path, summary, build } of seriesReports) {
    docs.add({
      method: 'get', path: `/api/v1/reports/${path}`, tag: 'reports', auth: 'user', query: seriesReportQuerySchema,
      summary: `${summary}; by channel, team or agent (supervisors); ?format=csv for a spreadsheet-safe CSV`,
      responses: { 200: 'the report (JSON or CSV)', 400: 'bad period, period too long for the bucket, or unknown groupBy', 401: 'not signed in', 403: 'role too low' },
    });
    app.get(`/api/v1/reports/${path}`, async (request, reply) => {
      const principal = await authenticate(ctx, request);
      requireRole(principal, 'supervisor');
      const query = parseParams(seriesReportQuerySchema, request.query);
      const now = ctx.clock.now();
      const range = resolveReportRange(query, query.bucket, now);
      const report = await build(ctx.db, principal.workspaceId, range, query.groupBy, now);
      if (query.format === 'json') return { data: report };
      return sendCsv(reply, reportFileName(path, report.period.from, report.period.to), seriesReportCsv(report));
    });
  }

  docs.add({
    method: 'get', path: '/api/v1/reports/heard-unanswered', tag: 'reports', auth: 'user', query: heardUnansweredQuerySchema,
    summary:
      'Heard but unanswered: of the complaints heard by listening rules, the share not answered within the SLA, per bucket, ' +
      'by channel, rule or topic (supervisors); ?format=csv',
    responses: { 200: 'the report (JSON or CSV)', 400: 'bad period or unknown groupBy', 401: 'not signed in', 403: 'role too low' },
  });
  app.get('/api/v1/reports/heard-unanswered', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const query = parseParams(heardUnansweredQuerySchema, request.query);
    const now = ctx.clock.now();
    const range = resolveReportRange(query, query.bucket, now);
    const report = await buildHeardUnansweredReport(ctx.db, principal.workspaceId, range, query.groupBy, now);
    if (query.format === 'json') return { data: report };
    return sendCsv(reply, reportFileName('heard-unanswered', report.period.from, report.period.to), seriesReportCsv(report));
  });

  docs.add({
    method: 'get', path: '/api/v1/reports/voice-of-customer', tag: 'reports', auth: 'user', query: voiceOfCustomerQuerySchema,
    summary:
      'Voice of the customer for one ISO week: top complaint topics and rising phrases against a weighted baseline of previous ' +
      'weeks, with example posts (supervisors); ?format=csv',
    responses: { 200: 'the report (JSON or CSV)', 400: 'bad week or parameters', 401: 'not signed in', 403: 'role too low' },
  });
  app.get('/api/v1/reports/voice-of-customer', async (request, reply) => {
    const principal = await authenticate(ctx, request);
    requireRole(principal, 'supervisor');
    const query = parseParams(voiceOfCustomerQuerySchema, request.query);
    const report = await buildVoiceOfCustomerReport(ctx.db, principal.workspaceId, query, ctx.clock.now());
    if (query.format === 'json') return { data: report };
    return sendCsv(reply, reportFileName('voice-of-customer', report.week.start, report.week.end), voiceOfCustomerCsv(report));
  });
}
