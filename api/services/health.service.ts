import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { AppConfig } from '../../config/config';
import { DestinationRepository, InboundRepository } from '../../db/repositories';
import type { BreakerState } from '../../domain/notifications';
import { OrderEventsService } from './order-events.service';

export type CheckResult = 'ok' | 'down';

/**
 * Where e-mails and webhook calls go, and which of those destinations do not take deliveries now. Never
 * changes the status code: orders move whatever a mail server or a receiver does.
 */
export interface DeliveriesCheck {
  /** `degraded` while a destination is down or paused; `unknown` when PostgreSQL did not say. */
  status: 'ok' | 'degraded' | 'unknown';
  /** Destinations whose circuit breaker is open or probing: they failed and are not sent to. */
  down: string[];
  /** Destinations a manager paused. */
  paused: string[];
  destinations: {
    name: string;
    state: BreakerState;
    paused: boolean;
    waiting: number;
    oldestWaitingSeconds: number | null;
  }[];
}

export interface Dependencies {
  database: CheckResult;
  temporal: CheckResult;
  /** The database listener behind `/api/events` is connected. */
  events: CheckResult;
}

/**
 * The mailboxes read for mail that comes in (docs/inbound-mail.md), each as its reader last found it. Never
 * changes the status code, and never part of readiness.
 */
export interface InboundCheck {
  /** `degraded` while a mailbox cannot be read; `unknown` when PostgreSQL did not say. */
  status: 'ok' | 'degraded' | 'unknown';
  mailboxes: {
    /** `user@host:port/folder`, without the password. */
    name: string;
    /** `unknown` until its reader has looked at it once. */
    state: 'unknown' | 'ok' | 'down';
    lastError: string | null;
    checkedAt: string | null;
    /** Messages taken from it so far. */
    taken: number;
  }[];
}

export interface Health {
  status: 'ok' | 'degraded';
  checks: Dependencies & { deliveries: DeliveriesCheck; inbound: InboundCheck };
}

export interface Readiness {
  status: 'ok' | 'degraded';
  checks: Dependencies;
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
    private readonly destinations: DestinationRepository,
    private readonly inboundMail: InboundRepository,
    private readonly config: AppConfig,
  ) {}

  beforeApplicationShutdown(): void {
    this.draining = true;
  }

  /**
   * Asks PostgreSQL and Temporal whether they answer, each within two seconds; the status says whether
   * orders can move. Beside them, which delivery destinations are down or paused.
   */
  async check(): Promise<Health> {
    const [dependencies, deliveries, inbound] = await Promise.all([
      this.dependencies(),
      this.deliveries(),
      this.inbound(),
    ]);
    return {
      status: healthy(dependencies) ? 'ok' : 'degraded',
      checks: { ...dependencies, deliveries, inbound },
    };
  }

  /** Ready when both dependencies answer and the process is not shutting down (deliveries do not count). */
  async ready(): Promise<Readiness> {
    const checks = await this.dependencies();
    return {
      status: this.draining || !healthy(checks) ? 'degraded' : 'ok',
      checks,
      draining: this.draining,
    };
  }

  private async dependencies(): Promise<Dependencies> {
    const [database, temporal] = await Promise.all([
      withTimeout(this.em.getConnection().execute('select 1')),
      withTimeout(this.temporal.workflowService.getSystemInfo({})),
    ]);
    const events: CheckResult = this.orderEvents.state() === 'listening' ? 'ok' : 'down';
    return { database, temporal, events };
  }

  private async deliveries(): Promise<DeliveriesCheck> {
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), CHECK_TIMEOUT_MS).unref());
    const list = await Promise.race([this.destinations.list().catch(() => null), timeout]);
    if (list === null) return { status: 'unknown', down: [], paused: [], destinations: [] };
    const down = list.filter((d) => d.state !== 'closed').map((d) => d.name);
    const paused = list.filter((d) => d.paused).map((d) => d.name);
    return {
      status: down.length > 0 || paused.length > 0 ? 'degraded' : 'ok',
      down,
      paused,
      destinations: list.map(({ name, state, paused, waiting, oldestWaitingSeconds }) => ({
        name,
        state,
        paused,
        waiting,
        oldestWaitingSeconds,
      })),
    };
  }

  private async inbound(): Promise<InboundCheck> {
    const configured = this.config.inbound.mailboxes.map((m) => m.key);
    if (configured.length === 0) return { status: 'ok', mailboxes: [] };
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), CHECK_TIMEOUT_MS).unref());
    const seen = await Promise.race([this.inboundMail.mailboxes().catch(() => null), timeout]);
    if (seen === null) return { status: 'unknown', mailboxes: [] };
    const mailboxes = configured.map((name) => {
      const row = seen.find((m) => m.key === name);
      return {
        name,
        state: row?.state ?? 'unknown',
        lastError: row?.lastError ?? null,
        checkedAt: row?.checkedAt ?? null,
        taken: row?.taken ?? 0,
      };
    });
    return { status: mailboxes.some((m) => m.state === 'down') ? 'degraded' : 'ok', mailboxes };
  }
}

const healthy = (checks: Dependencies) =>
  checks.database === 'ok' && checks.temporal === 'ok' && checks.events === 'ok';
