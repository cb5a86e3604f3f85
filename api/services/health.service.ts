import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';

export type CheckResult = 'ok' | 'down';

export interface Health {
  status: 'ok' | 'degraded';
  checks: { database: CheckResult; temporal: CheckResult };
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(work: Promise<unknown>): Promise<CheckResult> {
  const timeout = new Promise<CheckResult>((resolve) =>
    setTimeout(() => resolve('down'), CHECK_TIMEOUT_MS).unref(),
  );
  return Promise.race([
    work.then(
      (): CheckResult => 'ok',
      (): CheckResult => 'down',
    ),
    timeout,
  ]);
}

@Injectable()
export class HealthService {
  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
  ) {}

  /** Asks PostgreSQL and Temporal whether they answer, each within two seconds. */
  async check(): Promise<Health> {
    const [database, temporal] = await Promise.all([
      withTimeout(this.em.getConnection().execute('select 1')),
      withTimeout(this.temporal.workflowService.getSystemInfo({})),
    ]);
    return {
      status: database === 'ok' && temporal === 'ok' ? 'ok' : 'degraded',
      checks: { database, temporal },
    };
  }
}
