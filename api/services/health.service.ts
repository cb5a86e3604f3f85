import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { OrderEventsService } from './order-events.service';

export type CheckResult = 'ok' | 'down';

export interface Health {
  status: 'ok' | 'degraded';
  /** `events`: the database listener behind `/api/events` is connected. */
  checks: { database: CheckResult; temporal: CheckResult; events: CheckResult };
}

export interface Readiness extends Health {
  /** True once the process has begun to shut down: it finishes what it has and takes nothing new. */
  draining: boolean;
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

/**
 * Liveness (the process answers: restart it if not), readiness (it can serve: send it traffic if so) and
 * the contract's `/health` (PostgreSQL and Temporal answer).
 */
@Injectable()
export class HealthService implements BeforeApplicationShutdown {
  private draining = false;

  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    private readonly orderEvents: OrderEventsService,
  ) {}

  beforeApplicationShutdown(): void {
    this.draining = true;
  }

  /** Asks PostgreSQL and Temporal whether they answer, each within two seconds. */
  async check(): Promise<Health> {
    const [database, temporal] = await Promise.all([
      withTimeout(this.em.getConnection().execute('select 1')),
      withTimeout(this.temporal.workflowService.getSystemInfo({})),
    ]);
    const events: CheckResult = this.orderEvents.state() === 'listening' ? 'ok' : 'down';
    return {
      status: database === 'ok' && temporal === 'ok' && events === 'ok' ? 'ok' : 'degraded',
      checks: { database, temporal, events },
    };
  }

  /** Ready when both dependencies answer and the process is not shutting down. */
  async ready(): Promise<Readiness> {
    const health = await this.check();
    return { ...health, status: this.draining ? 'degraded' : health.status, draining: this.draining };
  }
}
