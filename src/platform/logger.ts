import pino from 'pino';

export type Logger = pino.Logger;

/** Structured logs; credentials, tokens and message bodies never reach them. */
export function createLogger(level: pino.LevelWithSilent): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'password',
        'token',
        'credentials',
        'text',
        '*.password',
        '*.token',
        '*.text',
      ],
      censor: '[redacted]',
    },
  });
}
