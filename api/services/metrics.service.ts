import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppConfig } from '../../config/config';
import { DeliveryRepository, OrderRepository } from '../../db/repositories';
import { DomainError } from '../errors/domain.error';

/**
 * The API's Prometheus metrics: HTTP requests by route template and status, and the business gauges
 * (orders by status and awaiting, deliveries by channel and status), counted from PostgreSQL at each
 * scrape so every API instance reports the same truth. Stage durations and escalations fired are the
 * worker's (they happen there): scrape each worker's own `/metrics`.
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
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'oms_api_' });
    new Gauge({
      name: 'oms_orders',
      help: 'Orders by status and what they wait for (empty when nothing), counted at scrape',
      labelNames: ['status', 'awaiting'],
      registers: [this.registry],
      async collect() {
        const rows = await orders.countByStage();
        this.reset();
        for (const row of rows) this.set({ status: row.status, awaiting: row.awaiting ?? '' }, row.count);
      },
    });
    new Gauge({
      name: 'oms_deliveries',
      help: 'E-mails and webhook calls by channel and delivery status, counted at scrape',
      labelNames: ['channel', 'status'],
      registers: [this.registry],
      async collect() {
        const rows = await deliveries.countByChannelAndStatus();
        this.reset();
        for (const row of rows) this.set({ channel: row.channel, status: row.status }, row.count);
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
