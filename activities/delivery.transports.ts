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
import { CLOUD_EVENTS_CONTENT_TYPE } from '../domain/cloud-events';

/** One e-mail, ready to send. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per delivery, so a receiving system can tell a message it has seen. */
  messageId: string;
  /** What it answers, oldest first (In-Reply-To is the last): the customer's mail program threads it. */
  references?: string[];
}

/** Sends e-mail; resolves once the server has accepted the message. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * Why a send failed, as the dispatcher acts on it:
 * - `destination`: the destination itself failed (refused, unreachable, timed out, answered 5xx or an SMTP
 *   4xx): its circuit breaker counts it, and the delivery waits in the outbox without losing an attempt;
 * - `delivery`: the destination answered and refused this message (a webhook's 4xx, an SMTP 5xx such as an
 *   unknown mailbox): the delivery's own attempts are counted, then it fails; `final` fails it at once;
 * `maybeDelivered`: an e-mail that the server may have accepted (its answer never came): never sent again.
 * The reason is safe to show to anyone who reads deliveries: never an address, port or what answered there.
 */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly scope: 'destination' | 'delivery',
    readonly options: { maybeDelivered?: boolean; final?: boolean } = {},
  ) {
    super(message);
  }

  get maybeDelivered(): boolean {
    return this.options.maybeDelivered ?? false;
  }

  get final(): boolean {
    return this.options.final ?? false;
  }
}

/** The SMTP failures that happen before the server has seen any of the message. */
const BEFORE_THE_MESSAGE = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN/;

/** What an SMTP failure means for the delivery (see SendFailure). */
export function smtpFailure(error: unknown): SendFailure {
  if (error instanceof SendFailure) return error;
  const e = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    timeoutType?: unknown;
    message?: unknown;
  };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (responseCode !== null && responseCode >= 500)
    return new SendFailure(`the SMTP server refused the message (${responseCode})`, 'delivery');
  if (responseCode !== null)
    return new SendFailure(`the SMTP server asked to try again later (${responseCode})`, 'destination');
  if (e.timeoutType === 'CONNECT_TIMEOUT' || e.timeoutType === 'GREETING_TIMEOUT')
    return new SendFailure('the SMTP server did not answer in time', 'destination');
  if (e.code === 'ESOCKET' && BEFORE_THE_MESSAGE.test(String(e.message)))
    return new SendFailure('the SMTP server could not be reached', 'destination');
  if (e.code === 'EDNS')
    return new SendFailure("the SMTP server's name could not be resolved", 'destination');
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE')
    return new SendFailure('the SMTP server refused the message', 'delivery');
  return new SendFailure(
    'the SMTP server stopped answering in the middle of the conversation; not sent again so that nobody receives it twice',
    'destination',
    { maybeDelivered: true },
  );
}

/** Rejects with `failure` when the work takes longer than `ms`; the work itself is left to its own timeouts. */
export function withDeadline<T>(work: Promise<T>, ms: number, failure: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** How much longer than `timeoutMs` a connection may stay silent (see smtpMailer). */
const SILENCE_MARGIN_MS = 250;

/**
 * A mailer for an SMTP server given as an smtp:// or smtps:// URL. Connecting, the greeting and each step
 * of the conversation may each take `timeoutMs`, and the whole message three times that: a server that
 * accepts connections and never answers is cut off like one that refuses them. Failures are SendFailures.
 *
 * It keeps up to `connections` conversations open and sends message after message over them: a new
 * connection, greeting and EHLO for every message made a backlog drain at a third of the rate (measured
 * against the test receiver: 67 against 187 messages/s). `connections` is the dispatcher's concurrency, so a
 * message never queues inside the pool, where its deadline would run while nothing was sent.
 */
export function smtpMailer(url: string, from: string, timeoutMs: number, connections = 1): Mailer {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: connections,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    // Silence counts from the connection too, and nodemailer reports it without saying whether the greeting
    // had come: were both limits equal, a server that never greets would time out either way about as
    // often, and as silence its messages would be taken as maybe delivered and never sent. The margin lets
    // the greeting's limit always come first.
    socketTimeout: timeoutMs + SILENCE_MARGIN_MS,
  });
  const server = new URL(url);
  return {
    async send(message) {
      // No instrumentation covers nodemailer: the SMTP conversation gets a span of its own (a no-op
      // without tracing).
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
          const { references, ...rest } = message;
          const sent = transport.sendMail({
            from,
            ...rest,
            ...(references?.length ? { inReplyTo: references.at(-1), references } : {}),
          });
          try {
            await withDeadline(
              sent,
              3 * timeoutMs,
              () =>
                new SendFailure(
                  'the SMTP server took too long with the message; not sent again so that nobody receives it twice',
                  'destination',
                  { maybeDelivered: true },
                ),
            );
          } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR });
            // The abandoned attempt settles by its own timeouts; its outcome is no longer anyone's business.
            sent.catch(() => undefined);
            throw smtpFailure(error);
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
  /** A CloudEvent in structured JSON mode. */
  body: string;
  deliveryId: string;
  kind: string;
  /** Hosts the operator allowed although they are internal (OMS_WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /** How long the whole call may take: a receiver slower than that is cut off. */
  timeoutMs: number;
}

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
 * Whether a receiver's answer is its own trouble (5xx, and 408/429: busy, try later), which opens its
 * breaker, or a refusal of this call (any other 4xx, and 3xx: no redirect is followed).
 */
function answerScope(status: number): SendFailure['scope'] {
  return status >= 500 || status === 408 || status === 429 ? 'destination' : 'delivery';
}

/**
 * Posts a signed webhook call (a CloudEvent, `application/cloudevents+json`); throws a SendFailure unless the receiver answers 2xx within the call's
 * timeout. The host is resolved and checked against the destination policy at connection time, so the
 * address checked is the address called, and no redirect is followed. A call cut off may still have reached
 * the receiver: the next attempt carries the same `X-OMS-Delivery` id, by which receivers deduplicate.
 */
export async function postWebhook(call: WebhookCall, now = Date.now()): Promise<void> {
  const timestamp = Math.floor(now / 1000);
  const url = new URL(call.url);
  try {
    await assertAllowedDestination(url, call.allowedHosts);
  } catch (error) {
    // The webhook points where it may not: no attempt will ever pass.
    throw new SendFailure(safeReason(error), 'delivery', { final: true });
  }
  const status = await new Promise<number>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': CLOUD_EVENTS_CONTENT_TYPE,
          'content-length': Buffer.byteLength(call.body),
          'user-agent': 'oms-webhooks/1',
          'x-oms-event': call.kind,
          'x-oms-delivery': call.deliveryId,
          'x-oms-timestamp': String(timestamp),
          'x-oms-signature': webhookSignature(call.secret, timestamp, call.body),
        },
        lookup: pinnedLookup(isAllowedHost(url, call.allowedHosts)),
        timeout: call.timeoutMs,
      },
      (response) => {
        clearTimeout(deadline);
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    // The socket's timeout only counts silence; this one counts the whole call, trickled answers included.
    const deadline = setTimeout(() => request.destroy(timedOut()), call.timeoutMs);
    const timedOut = () => Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
    request.on('timeout', () => request.destroy(timedOut()));
    request.on('error', (error) => {
      clearTimeout(deadline);
      reject(new SendFailure(safeReason(error), 'destination'));
    });
    request.end(call.body);
  });
  if (status < 200 || status > 299) {
    throw new SendFailure(`the receiver answered HTTP ${status}`, answerScope(status));
  }
}
