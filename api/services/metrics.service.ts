import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppConfig } from '../../config/config';
import {
  ArchiveQueueRepository,
  DeliveryRepository,
  DestinationRepository,
  InboundRepository,
  OrderRepository,
  type DestinationView,
} from '../../db/repositories';
import { BREAKER_STATES } from '../../domain/notifications';
import { DomainError } from '../errors/domain.error';
import { Refreshed } from './refreshed';

/**
 * The API's Prometheus metrics: HTTP requests by route template and status, and the business gauges
 * (orders by status and awaiting, deliveries by channel and status, per delivery destination its outbox
 * depth, oldest wait, breaker state and pause, and the archives waiting to be written), counted from
 * PostgreSQL so every API instance reports the same truth, at most once per OMS_METRICS_REFRESH_SECONDS:
 * scrapes in between (several scrapers, a scraper hammering the endpoint) are answered from the last count,
 * so scraping never makes the database count every order at will. Stage durations and escalations fired are
 * the worker's (they happen there): scrape each worker's own `/metrics`.
 */
@Injectable()
export class MetricsService {
  private readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'oms_http_requests_total',
    help: 'HTTP requests served, by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'oms_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(
    private readonly config: AppConfig,
    orders: OrderRepository,
    deliveries: DeliveryRepository,
    destinations: DestinationRepository,
    inbound: InboundRepository,
    archives: ArchiveQueueRepository,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'oms_api_' });
    const refreshMs = config.api.metricsRefreshSeconds * 1000;
    const stages = new Refreshed(() => orders.countByStage(), refreshMs);
    const channels = new Refreshed(() => deliveries.countByChannelAndStatus(), refreshMs);
    const mailboxes = new Refreshed(() => inbound.mailboxes(), refreshMs);
    const archiveQueue = new Refreshed(() => archives.depth(), refreshMs);
    this.destinations = new Refreshed(() => destinations.list(), refreshMs);
    new Gauge({
      name: 'oms_orders',
      help: 'Orders by status and what they wait for (empty when nothing), as last counted',
      labelNames: ['status', 'awaiting'],
      registers: [this.registry],
      async collect() {
        const rows = await stages.get();
        this.reset();
        for (const row of rows) this.set({ status: row.status, awaiting: row.awaiting ?? '' }, row.count);
      },
    });
    new Gauge({
      name: 'oms_deliveries',
      help: 'E-mails and webhook calls by channel and delivery status, as last counted',
      labelNames: ['channel', 'status'],
      registers: [this.registry],
      async collect() {
        const rows = await channels.get();
        this.reset();
        for (const row of rows) this.set({ channel: row.channel, status: row.status }, row.count);
      },
    });
    // Mail that comes in (docs/inbound-mail.md): each mailbox as its reader last found it.
    new Gauge({
      name: 'oms_inbound_mailbox_up',
      help: 'Whether the mailbox was read on its last attempt (1), failed (0), or was never read yet (-1)',
      labelNames: ['mailbox'],
      registers: [this.registry],
      async collect() {
        const list = await mailboxes.get();
        this.reset();
        for (const m of list)
          this.set({ mailbox: m.key }, m.state === 'ok' ? 1 : m.state === 'down' ? 0 : -1);
      },
    });
    new Gauge({
      name: 'oms_inbound_messages_taken',
      help: 'Messages taken from the mailbox so far (each counted once)',
      labelNames: ['mailbox'],
      registers: [this.registry],
      async collect() {
        const list = await mailboxes.get();
        this.reset();
        for (const m of list) this.set({ mailbox: m.key }, m.taken);
      },
    });
    // Closed orders whose archive the workers' archivers have not written yet (activities/archive.queue.ts).
    new Gauge({
      name: 'oms_archive_queue_depth',
      help: 'Closed orders whose archive waits to be written',
      registers: [this.registry],
      async collect() {
        this.set((await archiveQueue.get()).waiting);
      },
    });
    new Gauge({
      name: 'oms_archive_queue_oldest_age_seconds',
      help: 'How long the oldest archive waiting to be written has waited (0 when none waits)',
      registers: [this.registry],
      async collect() {
        this.set((await archiveQueue.get()).oldestWaitingSeconds ?? 0);
      },
    });
    this.destinationGauge(
      'oms_delivery_outbox_depth',
      'Deliveries waiting in the outbox (pending, retrying or being sent), by destination',
      (d) => d.waiting,
    );
    this.destinationGauge(
      'oms_delivery_outbox_oldest_age_seconds',
      'How long the oldest delivery waiting for the destination has waited (0 when none waits)',
      (d) => d.oldestWaitingSeconds ?? 0,
    );
    this.destinationGauge(
      'oms_delivery_breaker_state',
      `The destination's circuit breaker: ${BREAKER_STATES.map((state, i) => `${i} ${state}`).join(', ')}`,
      (d) => BREAKER_STATES.indexOf(d.state),
    );
    this.destinationGauge(
      'oms_delivery_destination_paused',
      'Whether a manager paused the destination (1) or not (0)',
      (d) => (d.paused ? 1 : 0),
    );
  }

  /** The destinations, read once for the four gauges that show them. */
  private readonly destinations: Refreshed<DestinationView[]>;

  private destinationGauge(
    name: string,
    help: string,
    value: (destination: DestinationView) => number,
  ): void {
    const rows = () => this.destinations.get();
    new Gauge({
      name,
      help,
      labelNames: ['destination'],
      registers: [this.registry],
      async collect() {
        const list = await rows();
        this.reset();
        for (const destination of list) this.set({ destination: destination.name }, value(destination));
      },
    });
  }

  /** Counts one answered request; `route` is the template (`/api/orders/:id`), never the raw path. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }

  /**
   * Refuses a scrape without the bearer token when OMS_METRICS_TOKEN is set: a published `/metrics` would
   * otherwise let anyone see the business's volumes and make the database count every order at will.
   */
  authorize(authorization: string | undefined): void {
    const token = this.config.api.metricsToken;
    if (token === null) return;
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
    // Compared as hashes: equal lengths for timingSafeEqual, and nothing learnt from how long it took.
    const digest = (value: string) => createHash('sha256').update(value).digest();
    if (!timingSafeEqual(digest(given), digest(token)))
      throw new DomainError('unauthenticated', 'the metrics need the bearer token in OMS_METRICS_TOKEN');
  }

  /** The Prometheus text exposition of every metric. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
