import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import {
  ForbiddenDestinationError,
  assertAllowedDestination,
  isAllowedHost,
  pinnedLookup,
} from '../config/destinations';
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
  const server = new URL(url);
  return {
    async send(message) {
      // No instrumentation covers nodemailer: the SMTP conversation gets a span of its own (a no-op
      // without tracing), in the delivery activity's trace.
      await trace.getTracer('oms-smtp').startActiveSpan(
        'smtp send',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'server.address': server.hostname,
            'server.port': Number(server.port || (server.protocol === 'smtps:' ? 465 : 587)),
          },
        },
        async (span) => {
          try {
            await transport.sendMail({ from, ...message, messageId: message.messageId });
          } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR });
            throw error;
          } finally {
            span.end();
          }
        },
      );
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
  /** Hosts the operator allowed although they are internal (OMS_WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
}

/**
 * Why a webhook call failed, in words safe to show to anyone who reads deliveries: what went wrong, never
 * the address, port, or what answered there.
 */
export class WebhookCallError extends Error {}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'the receiver refused the connection',
  ECONNRESET: 'the connection was closed before the receiver answered',
  EPIPE: 'the connection was closed before the receiver answered',
  ETIMEDOUT: 'the receiver did not answer in time',
  EHOSTUNREACH: 'the receiver could not be reached',
  ENETUNREACH: 'the receiver could not be reached',
  ENOTFOUND: "the receiver's host name could not be resolved",
  EAI_AGAIN: "the receiver's host name could not be resolved",
};

function safeReason(error: unknown): string {
  if (error instanceof ForbiddenDestinationError) return `the destination ${error.message}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_ERRORS[code]) return NETWORK_ERRORS[code];
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || (typeof code === 'string' && code.includes('CERT')))
    return "the receiver's TLS certificate was not accepted";
  return 'the connection to the receiver failed';
}

/**
 * Posts a signed webhook call; throws WebhookCallError unless the receiver answers 2xx in time. The host is
 * resolved and checked against the destination policy at connection time, so the address checked is the
 * address called, and no redirect is followed.
 */
export async function postWebhook(call: WebhookCall, now = Date.now()): Promise<void> {
  const timestamp = Math.floor(now / 1000);
  const url = new URL(call.url);
  try {
    await assertAllowedDestination(url, call.allowedHosts);
  } catch (error) {
    throw new WebhookCallError(safeReason(error));
  }
  const status = await new Promise<number>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(call.body),
          'user-agent': 'oms-webhooks/1',
          'x-oms-event': call.kind,
          'x-oms-delivery': call.deliveryId,
          'x-oms-timestamp': String(timestamp),
          'x-oms-signature': webhookSignature(call.secret, timestamp, call.body),
        },
        lookup: pinnedLookup(isAllowedHost(url, call.allowedHosts)),
        timeout: SEND_TIMEOUT_MS,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    request.on('error', (error) => reject(new WebhookCallError(safeReason(error))));
    request.end(call.body);
  });
  if (status < 200 || status > 299) {
    throw new WebhookCallError(`the receiver answered HTTP ${status}`);
  }
}
