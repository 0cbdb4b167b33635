import type { FastifyInstance } from 'fastify';
import { buildEquityReport, equityReportCsv, resolvePeriod } from '../../../features/insights/index.ts';
import type { AppContext } from '../../app-context.ts';
import { authenticate, requireRole } from '../../auth.ts';
import type { ApiDocs } from '../../openapi.ts';
import { parseParams } from '../../validation.ts';
import { equityQuerySchema } from './reports.schema.ts';

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
    const name = `equity-${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(equityReportCsv(report));
  });
}
