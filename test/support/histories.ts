import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findTemporalBinary } from '../../scripts/temporal-server';
import type { TestStack } from './stack';

/**
 * Keeps a workflow's history as a fixture that test/replay.spec.ts replays from then on, when the run records
 * histories (`OMS_RECORD_HISTORIES`, `npm run fixtures:record`); `folder` is under test/fixtures/histories.
 */
export function recordHistory(stack: TestStack, workflowId: string, folder: string, name: string): void {
  if (!process.env.OMS_RECORD_HISTORIES) return;
  const json = execFileSync(
    findTemporalBinary(process.env.OMS_TEMPORAL_BIN) ?? 'temporal',
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--address',
      stack.config.temporal.address,
      '--output',
      'json',
    ],
    { encoding: 'utf8' },
  );
  const into = path.join(__dirname, '..', 'fixtures', 'histories', folder);
  mkdirSync(into, { recursive: true });
  writeFileSync(path.join(into, `${name}.json`), json);
}
