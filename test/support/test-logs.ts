/** Each test file's service logs, kept in a file of its own (test-artifacts/logs/<spec path>.log). */
import type { LogEntry } from '@temporalio/worker';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
export const LOG_DIR = path.join(ROOT, 'test-artifacts', 'logs');

/** The log file of the test file at `testPath`; the quiet reporter finds it by the same rule. */
export function testLogFile(testPath: string): string {
  return path.join(LOG_DIR, `${path.relative(ROOT, testPath)}.log`);
}

/** A Temporal SDK log function that appends one line per entry to `file`. */
export function appendTo(file: string): (entry: LogEntry) => void {
  mkdirSync(path.dirname(file), { recursive: true });
  return ({ level, message, meta, timestampNanos }) => {
    const at = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
    appendFileSync(file, `${at} sdk ${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}\n`);
  };
}
