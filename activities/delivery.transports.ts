import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';

/** One e-mail, ready to send. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per delivery, so a receiving system can tell a message it has seen. */
  messageId: string;
}

/** Sends e-mail; resolves once the server has accepted the message. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * How long a webhook call, or one step of an SMTP conversation, may take before the attempt counts as
 * failed; well inside the activity's 20-second limit, so an attempt is rarely abandoned while still running.
 */
export const SEND_TIMEOUT_MS = 10_000;

/** A mailer for an SMTP server given as an smtp:// or smtps:// URL. */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: SEND_TIMEOUT_MS / 2,
    greetingTimeout: SEND_TIMEOUT_MS / 2,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  return {
    async send(message) {
      await transport.sendMail({ from, ...message, messageId: message.messageId });
    },
    close: () => transport.close(),
  };
}

/**
 * The signature header of a webhook call: HMAC-SHA256 with the webhook's secret over `<timestamp>.<body>`,
 * so a receiver can check both who sent it and that it is recent (replays carry an old timestamp).
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookCall {
  url: string;
  secret: string;
  body: string;
  deliveryId: string;
  kind: string;
}

/** Posts a signed webhook call; throws unless the receiver answers 2xx in time. */
export async function postWebhook(call: WebhookCall, now = Date.now()): Promise<void> {
  const timestamp = Math.floor(now / 1000);
  const response = await fetch(call.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'oms-webhooks/1',
      'x-oms-event': call.kind,
      'x-oms-delivery': call.deliveryId,
      'x-oms-timestamp': String(timestamp),
      'x-oms-signature': webhookSignature(call.secret, timestamp, call.body),
    },
    body: call.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (response.status < 200 || response.status > 299) {
    throw new Error(`${call.url} answered ${response.status} ${response.statusText}`.trim());
  }
}
