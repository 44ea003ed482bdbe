import pino from 'pino';

export type Logger = pino.Logger;

/** The process logger: JSON lines (pino), level from LOG_LEVEL. */
export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: opts.name ?? 'personae',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.apiKey', '*.password', '*.secret'], censor: '[redacted]' },
  });
}
