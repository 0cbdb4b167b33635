import { z } from 'zod';

export type RouteAuth = 'user' | 'channel-token' | 'none';

export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  auth: RouteAuth;
  body?: z.ZodType;
  query?: z.ZodType;
  responses: Record<number, string>;
}

/** Routes describe themselves here as they register; /api/v1/openapi.json is built from the list. */
export class ApiDocs {
  readonly routes: RouteDoc[] = [];

  add(doc: RouteDoc): void {
    this.routes.push(doc);
  }

  toOpenApi(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const parameters: unknown[] = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      if (route.query) {
        const schema = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as {
          properties?: Record<string, unknown>;
          required?: string[];
        };
        for (const [name, prop] of Object.entries(schema.properties ?? {})) {
          parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: prop });
        }
      }
      const operation: Record<string, unknown> = {
        summary: route.summary,
        tags: [route.tag],
        parameters,
        security: route.auth === 'none' ? [] : route.auth === 'channel-token' ? [{ channelToken: [] }] : [{ apiToken: [] }, { session: [] }],
        responses: Object.fromEntries(
          Object.entries(route.responses).map(([status, description]) => [
            status,
            Number(status) >= 400
              ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
              : { description },
          ]),
        ),
      };
      if (route.body) {
        operation.requestBody = {
          required: true,
          content: { 'application/json': { schema: z.toJSONSchema(route.body, { io: 'input', unrepresentable: 'any' }) } },
        };
      }
      paths[path] = { ...paths[path], [route.method]: operation };
    }
    return {
      openapi: '3.1.0',
      info: { title: 'Parley API', version: '1', description: 'Social customer care: ingest, queue, cases and live events.' },
      paths,
      components: {
        securitySchemes: {
          apiToken: { type: 'http', scheme: 'bearer', description: 'A user API token (pat_…)' },
          channelToken: { type: 'http', scheme: 'bearer', description: "A channel's ingest token (pch_…)" },
          session: { type: 'apiKey', in: 'cookie', name: 'parley_session' },
        },
        schemas: {
          Error: {
            type: 'object',
            required: ['error'],
            properties: {
              error: {
                type: 'object',
                required: ['code', 'message'],
                properties: {
                  code: { type: 'string' },
                  message: { type: 'string' },
                  details: { type: 'array', items: { type: 'object' } },
                },
              },
            },
          },
        },
      },
    };
  }
}
