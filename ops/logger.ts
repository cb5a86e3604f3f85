/**
 * One way to log for every process: pino JSON lines (one object per line, for a log shipper), or coloured
 * lines for a person at a terminal. Secrets never reach a log line: the paths below are censored wherever
 * they appear, and request logs carry method, route path, status and ids, never bodies or query strings.
 */
import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/config';

/** The configuration's level names (Nest's) to pino's. */
const LEVELS = { error: 'error', warn: 'warn', log: 'info', debug: 'debug' } as const;

/** Censored wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  '*.password',
  'accessToken',
  '*.accessToken',
  'secret',
  '*.secret',
  'token',
  '*.token',
];

export type LogSettings = Pick<AppConfig, 'logLevel' | 'logFormat'> & Partial<Pick<AppConfig, 'logFile'>>;

/** The pino options every process shares (the API hands them to pino-http). */
export function loggerOptions(settings: LogSettings, name: string): pino.LoggerOptions {
  return {
    name,
    level: LEVELS[settings.logLevel],
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceIds,
  };
}

/**
 * The trace and span a line was written in, so a log line leads to its trace (and back); nothing when no
 * span is current (without tracing there never is one).
 */
function traceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  return span && trace.isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

/**
 * The destination: JSON lines appended to `logFile` when one is set, else stdout as JSON, or prettified
 * synchronously (no worker thread) for a terminal.
 */
export function logDestination(settings: LogSettings): pino.DestinationStream {
  if (settings.logFile)
    return pino.destination({ dest: settings.logFile, sync: true, append: true, mkdir: true });
  return settings.logFormat === 'pretty'
    ? pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
    : pino.destination({ sync: true });
}

/** A logger for one process (`api`, `worker`, `backup`...). */
export function createLogger(settings: LogSettings, name: string): Logger {
  return pino(loggerOptions(settings, name), logDestination(settings));
}
