import type { AppConfig } from '../../config/config';
import type {
  ArchiveQueueRepository,
  DeliveryRepository,
  DestinationRepository,
  InboundRepository,
  OrderRepository,
} from '../../db/repositories';
import { MetricsService } from './metrics.service';

/**
 * A scrape must not make PostgreSQL count every order: the counts behind the business gauges are read at
 * most once per refresh interval, however often and however many scrapers ask. The clock is Jest's.
 */
describe('the API metrics', () => {
  const REFRESH_SECONDS = 15;
  let stageCounts: number;
  let deliveryCounts: number;
  let failNext: boolean;
  let ordersByStage: { status: string; awaiting: string | null; count: number }[];

  function service(): MetricsService {
    const config = { api: { metricsToken: null, metricsRefreshSeconds: REFRESH_SECONDS } } as AppConfig;
    const orders = {
      countByStage: () => {
        stageCounts++;
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('connection lost'));
        }
        return Promise.resolve(ordersByStage);
      },
    } as unknown as OrderRepository;
    const deliveries = {
      countByChannelAndStatus: () => {
        deliveryCounts++;
        return Promise.resolve([{ channel: 'email', status: 'sent', count: 3 }]);
      },
    } as unknown as DeliveryRepository;
    const destinations = { list: () => Promise.resolve([]) } as unknown as DestinationRepository;
    const inbound = { mailboxes: () => Promise.resolve([]) } as unknown as InboundRepository;
    const archives = {
      depth: () => Promise.resolve({ waiting: 2, oldestWaitingSeconds: 1.5 }),
    } as unknown as ArchiveQueueRepository;
    return new MetricsService(config, orders, deliveries, destinations, inbound, archives);
  }

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-04T22:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    stageCounts = 0;
    failNext = false;
    deliveryCounts = 0;
    ordersByStage = [{ status: 'created', awaiting: 'approval', count: 4 }];
  });
  afterEach(() => jest.useRealTimers());

  it('counts orders and deliveries once for many scrapes within the refresh interval', async () => {
    const metrics = service();
    for (let i = 0; i < 20; i++) {
      const { body } = await metrics.scrape();
      expect(body).toContain('oms_orders{status="created",awaiting="approval"} 4');
      expect(body).toContain('oms_deliveries{channel="email",status="sent"} 3');
      expect(body).toContain('oms_archive_queue_depth 2');
      expect(body).toContain('oms_archive_queue_oldest_age_seconds 1.5');
      jest.advanceTimersByTime(500);
    }
    expect([stageCounts, deliveryCounts]).toEqual([1, 1]);
  });

  it('shares one count between scrapes that arrive together', async () => {
    const metrics = service();
    await Promise.all(Array.from({ length: 5 }, () => metrics.scrape()));
    expect(stageCounts).toBe(1);
  });

  it('counts again once the interval has passed, and shows the new numbers', async () => {
    const metrics = service();
    await metrics.scrape();
    ordersByStage = [{ status: 'processing', awaiting: 'stock', count: 2 }];
    jest.advanceTimersByTime((REFRESH_SECONDS - 1) * 1000);
    expect((await metrics.scrape()).body).toContain('oms_orders{status="created",awaiting="approval"} 4');
    jest.advanceTimersByTime(1000);
    const { body } = await metrics.scrape();
    expect(stageCounts).toBe(2);
    expect(body).toContain('oms_orders{status="processing",awaiting="stock"} 2');
    // A status no order holds any more is no longer shown.
    expect(body).not.toContain('status="created"');
  });

  it('counts again at the next scrape after a count failed, rather than keeping the failure', async () => {
    const metrics = service();
    failNext = true;
    await expect(metrics.scrape()).rejects.toThrow('connection lost');
    expect((await metrics.scrape()).body).toContain('oms_orders{status="created",awaiting="approval"} 4');
    expect(stageCounts).toBe(2);
  });
});
