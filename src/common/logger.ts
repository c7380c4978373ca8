import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Redaction is a safety net for personal data and secrets
 * that must never be logged; code should not log them in the first place.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'gongjian' },
    redact: {
      paths: ['*.phone', '*.idNumber', '*.contactPhone', '*.password', '*.token', 'req.headers.authorization', 'variables.*.phone', 'variables.*.idNumber', 'variables.*.contactPhone'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
