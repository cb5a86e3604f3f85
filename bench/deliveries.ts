/**
 * The benchmark's side-channel modes: `--fault mail-down` (the SMTP server refuses connections),
 * `--fault slow-webhook` (a webhook receiver answers after 10 s) and `--fault inbound-flood` (`--messages N`,
 * 1,000 by default, e-mails from as many senders land in a mailbox the product reads, a real Dovecot started
 * here, just before the rounds under the fault; the "drain" is then the time from their arrival until the
 * readers have taken them all). The product sends to receivers this process
 * runs, so it can take them away and bring them back; `--staff N` (20 by default) members of staff with an
 * e-mail address chose to be e-mailed everything, so each order makes dozens of deliveries. After the fault,
 * it measures how long the outbox takes to drain and checks that every delivery was sent, none twice.
 */
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { startImapServer, type ImapServer } from '../scripts/dovecot';
import {
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../scripts/receivers';

export const DELIVERY_FAULTS = ['mail-down', 'slow-webhook', 'inbound-flood'] as const;
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
  /** inbound-flood: the messages put in the mailbox, and how many of them the readers took. */
  inbound?: { messages: number; taken: number };
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

export async function deliveryBench(
  fault: DeliveryFault,
  staff: number,
  messages = 1000,
): Promise<DeliveryBench> {
  const smtp: SmtpReceiver = await startSmtpReceiver();
  const hooks: WebhookReceiver = await startWebhookReceiver();
  hooks.slowMs = 10_000;
  const imap: ImapServer | null = fault === 'inbound-flood' ? await startImapServer() : null;
  let drain: Promise<DrainFigures> | null = null;
  return {
    fault,
    env: {
      OMS_SMTP_URL: smtp.url,
      OMS_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      ...(imap ? { OMS_INBOUND_IMAP_URL: imap.url('INBOX'), OMS_INBOUND_POLL_MS: '1000' } : {}),
    },
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
      if (imap) {
        const floodedAt = performance.now();
        await flood(imap, messages);
        // Watched from now on, so the time is the readers' even when they finish during the rounds.
        drain = mailboxDrained(imap, messages, floodedAt, 600_000);
        return;
      }
      if (fault === 'mail-down') await smtp.become('down');
      else hooks.mode = 'slow';
    },
    async restore() {
      if (imap) return;
      if (fault === 'mail-down') await smtp.become('up');
      else hooks.mode = 'ok';
    },
    async drained(call, metricsUrl, timeoutMs) {
      if (drain) return drain;
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
      await imap?.stop();
    },
  };
}

function postman(imap: ImapServer): ImapFlow {
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: false,
    auth: { user: imap.user, pass: imap.password },
    logger: false,
  });
}

/** Puts `count` e-mails from as many senders (none a customer, so none below any per-sender limit) in INBOX. */
async function flood(imap: ImapServer, count: number): Promise<void> {
  const client = postman(imap);
  await client.connect();
  try {
    for (let i = 0; i < count; i++) {
      const raw = [
        `From: Sender ${i} <sender-${i}@bench.example>`,
        'To: orders@bench.example',
        `Subject: Question ${i} about an order`,
        `Message-ID: <${randomUUID()}@bench.example>`,
        `Date: ${new Date().toUTCString()}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Hello, could you tell me when my tea arrives? (message ${i})`,
        '',
      ].join('\r\n');
      await client.append('INBOX', raw);
    }
  } finally {
    await client.logout();
  }
}

/** Waits until INBOX is empty (every message taken and moved to Processed), from the flood's start. */
async function mailboxDrained(
  imap: ImapServer,
  messages: number,
  floodedAt: number,
  timeoutMs: number,
): Promise<DrainFigures> {
  // Not called with the outbox's arguments: it is started when the messages land (see breakReceiver).
  const client = postman(imap);
  await client.connect();
  const deadline = Date.now() + timeoutMs;
  const count = async (folder: string) => {
    const status = await client.status(folder, { messages: true });
    return status ? (status.messages ?? 0) : 0;
  };
  try {
    while ((await count('INBOX')) > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 500));
    const taken = (await client.list()).some((box) => box.path === 'Processed')
      ? await count('Processed')
      : 0;
    return {
      seconds: (performance.now() - floodedAt) / 1000,
      byStatus: {},
      emailsReceived: 0,
      emailsTwice: 0,
      webhookCalls: 0,
      webhookIds: 0,
      inbound: { messages, taken },
    };
  } finally {
    await client.logout();
  }
}
