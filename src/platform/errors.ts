/** Every error Parley reports, with its HTTP status. Codes are stable: clients and tests depend on them. */
export const errorCatalogue = {
  bad_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  overloaded: 503,
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorDetail {
  path: string;
  message: string;
}

/** The one application error: a stable code, its HTTP status and a message safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code];
    this.details = details;
  }
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}

// Connection-level failures of PostgreSQL (class 08, admin shutdown, cannot connect now) and of the socket.
const unavailableSqlStates = new Set(['08000', '08003', '08006', '08001', '08004', '57P01', '57P02', '57P03', '53300']);
const unavailableErrnos = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** True when an error means the database cannot be reached right now (the request may be retried). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableSqlStates.has(code) || unavailableErrnos.has(code))) return true;
  return /Connection terminated|not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end|PGlite is closed/i.test(
    error.message,
  );
}
