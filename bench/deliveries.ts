/**
 * The benchmark's delivery modes: `--fault mail-down` (the SMTP server refuses connections) and
 * `--fault slow-webhook` (a webhook receiver answers after 10 s). The product sends to receivers this process
 * runs, so it can take them away and bring them back; `--staff N` (20 by default) members of staff with an
 * e-mail address chose to be e-mailed everything, so each order makes dozens of deliveries. After the fault,
 * it measures how long the outbox takes to drain and checks that every delivery was sent, none twice.
 */
import { randomUUID } from 'node:crypto';
import {
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../scripts/receivers';

export const DELIVERY_FAULTS = ['mail-down', 'slow-webhook'] as const;
export type DeliveryFault = (typeof DELIVERY_FAULTS)[number];

type Call = (
  method: string,
  route: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Record<string, unknown>>;

/** What the outbox did once the fault was over. */
export interface DrainFigures {
  /** From the receiver's return until no delivery waited any more. */
  seconds: number;
  /** Deliveries by status once drained (all of the run's). */
  byStatus: Record<string, number>;
  /** E-mails the SMTP receiver accepted, and how many of them it had accepted before (by Message-ID). */
  emailsReceived: number;
  emailsTwice: number;
  /** Webhook calls received, distinct delivery ids among them (a receiver deduplicates by that id). */
  webhookCalls: number;
  webhookIds: number;
}

export interface DeliveryBench {
  fault: DeliveryFault;
  /** Settings the product starts with: the receivers' addresses. */
  env: Record<string, string>;
  /** Staff on e-mail `all`, and (slow-webhook) a webhook for every kind. */
  prepare(call: Call, password: string): Promise<void>;
  /** The receiver fails as the mode says. */
  breakReceiver(): Promise<void>;
  /** The receiver works again. */
  restore(): Promise<void>;
  /** Waits until nothing waits in the outbox (or the time is up), and checks what arrived. */
  drained(call: Call, metricsUrl: string, timeoutMs: number): Promise<DrainFigures>;
  close(): Promise<void>;
}

export async function deliveryBench(fault: DeliveryFault, staff: number): Promise<DeliveryBench> {
  const smtp: SmtpReceiver = await startSmtpReceiver();
  const hooks: WebhookReceiver = await startWebhookReceiver();
  hooks.slowMs = 10_000;
  return {
    fault,
    env: { OMS_SMTP_URL: smtp.url, OMS_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    async prepare(call, password) {
      const tag = randomUUID().slice(0, 6);
      for (let i = 0; i < staff; i++) {
        const username = `bench-staff-${tag}-${i}`;
        await call('POST', '/users', {
          username,
          password,
          displayName: `Bench staff ${i}`,
          email: `${username}@example.test`,
          roles: ['staff'],
          emailNotifications: 'all',
        });
      }
      if (fault === 'slow-webhook') await call('POST', '/webhooks', { url: `${hooks.baseUrl}/bench` });
    },
    async breakReceiver() {
      if (fault === 'mail-down') await smtp.become('down');
      else hooks.mode = 'slow';
    },
    async restore() {
      if (fault === 'mail-down') await smtp.become('up');
      else hooks.mode = 'ok';
    },
    async drained(call, metricsUrl, timeoutMs) {
      const begin = performance.now();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { items } = (await call('GET', '/deliveries/destinations')) as {
          items: { waiting: number }[];
        };
        if (items.every((d) => d.waiting === 0) || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const seconds = (performance.now() - begin) / 1000;
      const metrics = await (await fetch(metricsUrl)).text();
      const byStatus: Record<string, number> = {};
      for (const [, status, count] of metrics.matchAll(
        /^oms_deliveries\{channel="\w+",status="(\w+)"\} (\d+)$/gm,
      ))
        byStatus[status!] = (byStatus[status!] ?? 0) + Number(count);
      const messageIds = smtp.messages.map((m) => m.messageId);
      return {
        seconds,
        byStatus,
        emailsReceived: messageIds.length,
        emailsTwice: messageIds.length - new Set(messageIds).size,
        webhookCalls: hooks.calls.length,
        webhookIds: hooks.deliveryIds().size,
      };
    },
    async close() {
      await smtp.close();
      await hooks.close();
    },
  };
}
