import { z } from 'zod';
import { AppError, notFound } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';

function describe(error: z.ZodError): { message: string; details: { path: string; message: string }[] } {
  const details = error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const first = details[0];
  return { message: first ? `${first.path}: ${first.message}` : 'invalid input', details };
}

/** Validates a JSON body: a body of the wrong shape is a 422 naming the first bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null) throw new AppError('bad_request', 'a JSON body is required');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const { message, details } = describe(result.error);
  throw new AppError('validation_failed', message, details);
}

/** Validates query parameters or path parameters: a bad one is a 400. */
export function parseParams<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const { message, details } = describe(result.error);
  throw new AppError('bad_request', message, details);
}

const idParamsSchema = z.object({ id: z.string() });

/** The `:id` of a route: anything that is not a UUID can only name nothing, so it is "not found" like a foreign id. */
export function idParamOf(params: unknown, what: string): string {
  const { id } = parseParams(idParamsSchema, params);
  if (!isUuid(id)) throw notFound(what);
  return id;
}
