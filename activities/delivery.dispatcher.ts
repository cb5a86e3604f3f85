/**
 * The delivery worker's dispatcher: it sends what waits in the outbox, apart from the orders. Not a Temporal
 * activity: a loop in the worker process, on a PostgreSQL pool of its own, that never calls Temporal.
 *
 * - Each destination (the SMTP server, each webhook host) is dispatched by one worker process at a time,
 *   which holds the destination's lease in PostgreSQL and renews it every tick; when that process dies, the
 *   lease runs out and another process takes over. Its lane sends at most `ratePerDestination` per second,
 *   `concurrencyPerDestination` at once, oldest first.
 * - Deliveries are claimed with `FOR UPDATE SKIP LOCKED`: each claimed row is `sending` with its attempt
 *   counted and a lease of its own, committed before anything leaves. A row whose lease ran out was being
 *   sent by a process that died: an e-mail becomes `unconfirmed` (never sent twice), a webhook call is made
 *   again with the same delivery id (its receiver deduplicates).
 * - Each destination has a circuit breaker (workflows/delivery.rules.ts), kept in its row: when it fails,
 *   nothing more is sent to it but one probe at a time, with a growing wait; the rest wait in the outbox
 *   without using up their attempts; when a probe gets through, the backlog drains at the bounded rate.
 *
 * Why a loop and not a dispatcher workflow per destination: the rows are the durable state either way, and
 * a workflow would add a Temporal round trip (and history events) to every send, on the very server whose
 * flooding by retrying deliveries this replaces; the loop also keeps sending, pausing and reporting while
 * Temporal is down. See docs/deliveries.md.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  OutboxRepository,
  WebhookRepository,
  type ClaimedDelivery,
  type HeldDestination,
  type Settlement,
} from '../db/repositories';
import {
  SMTP_DESTINATION,
  afterFailure,
  afterSuccess,
  breakerAllows,
  probing,
  retryDelayMs,
  type Breaker,
  type BreakerSettings,
} from '../domain/delivery.rules';
import { isCloudEvent, orderEvent, type CloudEvent } from '../domain/cloud-events';
import { messageIdOf } from '../domain/inbound-mail';
import type { Channel } from '../domain/notifications';
import { SendFailure, postWebhook, type Mailer } from './delivery.transports';

export interface DispatcherSettings {
  sendTimeoutMs: number;
  ratePerDestination: number;
  concurrencyPerDestination: number;
  breaker: BreakerSettings;
  /** A delivery's own failures (a receiver refusing it) before it is marked failed. */
  deliveryAttempts: number;
  retryIntervalMs: number;
  /** How often it renews its leases and looks for work when there is none. */
  tickMs: number;
}

export interface DispatcherLog {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
}

export interface DispatcherDeps {
  /** A unit of work on the dispatcher's own connection pool. */
  em: () => EntityManager;
  /** This process, as the holder of destination leases. */
  owner: string;
  /** Null when no SMTP server is configured: this process then leaves e-mail to others. */
  mailer: Mailer | null;
  /** The SMTP server's host and port, which its breaker is about. */
  smtpServer: string | null;
  /** Internal hosts webhooks may reach nonetheless (OMS_WEBHOOK_ALLOWED_HOSTS). */
  webhookAllowedHosts: readonly string[];
  settings: DispatcherSettings;
  log: DispatcherLog;
  /** The domain of the e-mails' Message-IDs (the configured From's); `oms.local` when not given. */
  messageIdDomain?: string;
}

/** How long a destination stays this process's after its last renewal (renewed every tick). */
/**
 * What a webhook call carries: the CloudEvent it was planned with. A call planned before the envelope (its
 * payload `{event, occurrence, occurredAt, order, …}`) is wrapped as it goes, under the delivery's id, which
 * its retries keep.
 */
export function webhookBody(delivery: Pick<ClaimedDelivery, 'id' | 'kind' | 'payload'>): CloudEvent {
  if (isCloudEvent(delivery.payload)) return delivery.payload;
  const legacy = (delivery.payload ?? {}) as { occurredAt?: unknown; order?: { id?: unknown } };
  return orderEvent({
    id: delivery.id,
    type: delivery.kind,
    orderId: typeof legacy.order?.id === 'string' ? legacy.order.id : '',
    time: typeof legacy.occurredAt === 'string' ? legacy.occurredAt : new Date().toISOString(),
    data: delivery.payload,
  });
}

const DESTINATION_LEASE_MS = 15_000;

const sleep = (ms: number, wake: (resolve: () => void) => void) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    wake(() => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Sends the outbox of the destinations this process holds; one lane per destination. */
export class DeliveryDispatcher {
  private readonly lanes = new Map<string, DestinationLane>();
  private readonly retiring = new Set<Promise<void>>();
  private stopping = false;
  private wakeUp: (() => void) | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: DispatcherDeps) {}

  /** Starts dispatching; resolves at once. */
  start(): void {
    this.running ??= this.loop();
  }

  /**
   * Stops taking deliveries, lets the sends in flight finish (each is bounded by its timeout) and gives up
   * its destinations, so another process takes them over at once.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.running;
    for (const lane of this.lanes.values()) lane.stop();
    await Promise.all([...[...this.lanes.values()].map((lane) => lane.done), ...this.retiring]);
    this.lanes.clear();
    await new OutboxRepository(this.deps.em())
      .releaseAll(this.deps.owner)
      .catch((error: unknown) =>
        this.deps.log.warn('destination leases not released', { error: String(error) }),
      );
  }

  private async loop(): Promise<void> {
    if (this.deps.mailer) {
      await new OutboxRepository(this.deps.em())
        .ensureDestination(SMTP_DESTINATION, 'email', this.deps.smtpServer)
        .catch((error: unknown) =>
          this.deps.log.warn('SMTP destination not recorded', { error: String(error) }),
        );
    }
    while (!this.stopping) {
      try {
        await this.tick();
      } catch (error) {
        // PostgreSQL is away: the leases run out meanwhile, and the next tick takes them again.
        this.deps.log.warn('delivery dispatcher tick failed', { error: String(error) });
      }
      await sleep(this.deps.settings.tickMs, (wake) => (this.wakeUp = wake));
    }
  }

  private async tick(): Promise<void> {
    const outbox = new OutboxRepository(this.deps.em());
    const recovered = await outbox.recoverInterrupted();
    if (recovered.length > 0) {
      this.deps.log.warn('deliveries interrupted by a stopped worker recovered', {
        unconfirmed: recovered.filter((r) => r.status === 'unconfirmed').length,
        sentAgain: recovered.filter((r) => r.status === 'retrying').length,
      });
    }
    if (this.stopping) return;
    const channels: Channel[] = this.deps.mailer ? ['email', 'webhook'] : ['webhook'];
    const held = await outbox.lease(this.deps.owner, DESTINATION_LEASE_MS, channels);
    const keys = new Set(held.map((destination) => destination.key));
    for (const [key, lane] of this.lanes) {
      if (keys.has(key) && !lane.stopped) continue;
      lane.stop();
      this.lanes.delete(key);
      const done = lane.done.finally(() => this.retiring.delete(done));
      this.retiring.add(done);
    }
    for (const destination of held) {
      if (!this.lanes.has(destination.key))
        this.lanes.set(destination.key, new DestinationLane(this.deps, destination));
    }
  }
}

/** The sending of one destination while this process holds it: its breaker, its rate, its probes. */
class DestinationLane {
  readonly done: Promise<void>;
  stopped = false;
  private breaker: Breaker;
  private tokens: number;
  private refilledAt = Date.now();
  private wakeUp: (() => void) | null = null;
  private readonly key: string;
  private readonly rowLeaseMs: number;

  constructor(
    private readonly deps: DispatcherDeps,
    destination: HeldDestination,
  ) {
    this.key = destination.key;
    this.breaker = destination.breaker;
    this.tokens = deps.settings.concurrencyPerDestination;
    // Longer than the slowest send can take (an SMTP message may take three timeouts), so that a lease only
    // runs out when its process has died.
    this.rowLeaseMs = 3 * deps.settings.sendTimeoutMs + 5_000;
    this.done = this.run();
  }

  stop(): void {
    this.stopped = true;
    this.wakeUp?.();
  }

  private outbox(): OutboxRepository {
    return new OutboxRepository(this.deps.em());
  }

  private pause(ms: number): Promise<void> {
    return sleep(Math.min(ms, this.deps.settings.tickMs), (wake) => (this.wakeUp = wake));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.step();
      } catch (error) {
        this.deps.log.warn('delivery lane step failed', { destination: this.key, error: String(error) });
        await this.pause(this.deps.settings.tickMs);
      }
    }
  }

  private async step(): Promise<void> {
    const state = await this.outbox().destinationState(this.key);
    if (!state || state.leaseOwner !== this.deps.owner) {
      this.stopped = true;
      return;
    }
    if (state.paused) return this.pause(this.deps.settings.tickMs);
    // A manager's resume brings an open breaker's next probe forward.
    if (this.breaker.state === 'open' && state.nextProbeAt !== null)
      this.breaker = {
        ...this.breaker,
        nextProbeAt: Math.min(state.nextProbeAt, this.breaker.nextProbeAt ?? Infinity),
      };
    const now = Date.now();
    const allowed = breakerAllows(this.breaker, now);
    if (allowed === 'wait') return this.pause((this.breaker.nextProbeAt ?? now) - now);
    if (allowed === 'probe') return this.probe();
    return this.sendBatch();
  }

  /** One delivery to an open destination: its answer closes the breaker or opens it again, for longer. */
  private async probe(): Promise<void> {
    const [delivery] = await this.outbox().claim(this.key, 1, this.rowLeaseMs);
    if (!delivery) return this.pause(this.deps.settings.tickMs);
    this.breaker = probing(this.breaker);
    await this.save(null);
    const failure = await this.send(delivery);
    if (failure === null || failure.scope === 'delivery') {
      this.breaker = afterSuccess();
      this.deps.log.info('delivery destination answers again; draining its outbox', {
        destination: this.key,
      });
      await this.settle(delivery, failure);
      await this.outbox().dueNow(this.key);
      await this.save({ ok: true });
      return;
    }
    this.breaker = afterFailure(this.breaker, Date.now(), this.deps.settings.breaker);
    await this.settle(delivery, failure);
    await this.save({ ok: false, error: failure.message });
  }

  /** Up to the concurrency, as the rate allows, oldest first; the breaker opens on repeated failure. */
  private async sendBatch(): Promise<void> {
    const { ratePerDestination, concurrencyPerDestination } = this.deps.settings;
    const now = Date.now();
    this.tokens = Math.min(
      Math.max(concurrencyPerDestination, ratePerDestination),
      this.tokens + ((now - this.refilledAt) * ratePerDestination) / 1000,
    );
    this.refilledAt = now;
    const room = Math.min(concurrencyPerDestination, Math.floor(this.tokens));
    if (room < 1) return this.pause(((1 - this.tokens) * 1000) / ratePerDestination);
    const claimed = await this.outbox().claim(this.key, room, this.rowLeaseMs);
    if (claimed.length === 0) return this.pause(this.deps.settings.tickMs);
    this.tokens -= claimed.length;
    let last: { ok: true } | { ok: false; error: string } | null = null;
    await Promise.all(
      claimed.map(async (delivery) => {
        const failure = await this.send(delivery);
        if (failure === null || failure.scope === 'delivery') {
          if (this.breaker.state === 'closed') this.breaker = afterSuccess();
          last = { ok: true };
        } else if (this.breaker.state === 'closed') {
          this.breaker = afterFailure(this.breaker, Date.now(), this.deps.settings.breaker);
          last = { ok: false, error: failure.message };
          if (this.breaker.state === 'open')
            this.deps.log.warn('delivery destination failing; its breaker is open', {
              destination: this.key,
              error: failure.message,
            });
        }
        await this.settle(delivery, failure);
      }),
    );
    await this.save(last);
  }

  /** Sends one delivery; answers why it failed, or null when it was sent. */
  private async send(delivery: ClaimedDelivery): Promise<SendFailure | null> {
    const { mailer, settings } = this.deps;
    try {
      if (delivery.channel === 'email') {
        if (!mailer)
          throw new SendFailure('no SMTP server is configured (OMS_SMTP_URL)', 'delivery', { final: true });
        await mailer.send({
          to: delivery.address,
          subject: delivery.subject ?? '',
          text: delivery.textBody ?? '',
          html: delivery.htmlBody ?? '',
          messageId: messageIdOf(delivery.id, this.deps.messageIdDomain),
          references: delivery.references,
        });
      } else {
        const secret = delivery.webhookId
          ? await new WebhookRepository(this.deps.em()).secretOf(delivery.webhookId)
          : null;
        if (!secret) throw new SendFailure('the webhook no longer exists', 'delivery', { final: true });
        await postWebhook({
          url: delivery.address,
          secret,
          body: JSON.stringify(webhookBody(delivery)),
          deliveryId: delivery.id,
          kind: delivery.kind,
          allowedHosts: this.deps.webhookAllowedHosts,
          timeoutMs: settings.sendTimeoutMs,
        });
      }
      return null;
    } catch (error) {
      if (error instanceof SendFailure) return error;
      // Not the receiver's answer (our database, a defect): tried again like after an outage.
      this.deps.log.warn('a delivery could not be sent', { destination: this.key, error: String(error) });
      return new SendFailure('sending failed', 'destination');
    }
  }

  /** Records the attempt's outcome on the delivery. */
  private async settle(delivery: ClaimedDelivery, failure: SendFailure | null): Promise<void> {
    await this.outbox().settle(delivery.id, delivery.attempts, this.settlement(delivery, failure));
  }

  private settlement(delivery: ClaimedDelivery, failure: SendFailure | null): Settlement {
    if (failure === null) return { status: 'sent' };
    const error = failure.message;
    if (failure.maybeDelivered && delivery.channel === 'email') return { status: 'unconfirmed', error };
    // The delivery's own policy, whichever process sends it; this process's for rows planned without one.
    const { attempts, retryIntervalMs } = delivery.policy ?? {
      attempts: this.deps.settings.deliveryAttempts,
      retryIntervalMs: this.deps.settings.retryIntervalMs,
    };
    if (failure.scope === 'delivery') {
      const failures = delivery.failures + 1;
      if (failure.final || failures >= attempts) return { status: 'failed', error };
      return {
        status: 'retrying',
        error,
        delayMs: retryDelayMs(failures, retryIntervalMs),
        ownFailure: true,
      };
    }
    // The destination failed: the delivery waits for it, behind the next probe while the breaker is open.
    const nextProbeAt = this.breaker.state === 'closed' ? null : this.breaker.nextProbeAt;
    const delayMs = nextProbeAt === null ? 0 : Math.max(0, nextProbeAt - Date.now()) + 1000;
    return { status: 'retrying', error, delayMs, ownFailure: false };
  }

  /** Keeps the breaker in the destination's row; a lane whose lease was taken over stops. */
  private async save(outcome: { ok: true } | { ok: false; error: string } | null): Promise<void> {
    const kept = await this.outbox().saveBreaker(this.key, this.deps.owner, this.breaker, outcome);
    if (!kept) this.stopped = true;
  }
}
