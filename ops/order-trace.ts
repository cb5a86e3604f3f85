/**
 * One trace per order: its trace id is the order's UUID (the 32 hex digits without dashes, so an operator
 * finds it in any trace viewer from the order's id), and its root span, the order's creation, has a span id
 * derived from it. Every later action on the order (approve, ship, cancel…) runs under that root, whatever
 * HTTP request it came in; the request's own span is linked, so either leads to the other. The workflow's
 * update handling and the activities it runs join through Temporal's headers.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  trace,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import { createHash } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';

const TRACER = 'oms-orders';

/** Ids the next root span of this async context must take (the order's root span); each taken once. */
export interface ForcedIds {
  traceId: string;
  spanId: string;
  traceTaken: boolean;
  spanTaken: boolean;
}
export const forcedIds = new AsyncLocalStorage<ForcedIds>();

/** The SDK's id generator, except for an order's root span, which takes the order's ids. */
export class OrderIdGenerator {
  constructor(private readonly random: { generateTraceId(): string; generateSpanId(): string }) {}

  generateTraceId(): string {
    const forced = forcedIds.getStore();
    if (forced && !forced.traceTaken) {
      forced.traceTaken = true;
      return forced.traceId;
    }
    return this.random.generateTraceId();
  }

  generateSpanId(): string {
    const forced = forcedIds.getStore();
    if (forced && !forced.spanTaken) {
      forced.spanTaken = true;
      return forced.spanId;
    }
    return this.random.generateSpanId();
  }
}

let enabled = false;

/** Called when tracing is installed; until then the helpers below only run what they are given. */
export function enableOrderTraces(): void {
  enabled = true;
}

/** The order's trace id: its UUID's hex digits (any other id: the first 32 of its SHA-256). */
export function orderTraceId(orderId: string): string {
  const hex = orderId.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) && !/^0+$/.test(hex)
    ? hex
    : createHash('sha256').update(orderId).digest('hex').slice(0, 32);
}

/** The span id of the order's root span (its creation). */
export function orderRootSpanId(orderId: string): string {
  const id = createHash('sha256').update(`order-root:${orderId}`).digest('hex').slice(0, 16);
  return /^0+$/.test(id) ? '0000000000000001' : id;
}

/**
 * The HTTP request's own span (the HTTP instrumentation keeps it in the context: the active span is one of
 * express's below it); outside a request, whatever span is active.
 */
function requestLink(): Link[] {
  const request = (getRPCMetadata(context.active())?.span ?? trace.getActiveSpan())?.spanContext();
  return request && trace.isSpanContextValid(request) ? [{ context: request }] : [];
}

async function inSpan<T>(span: Span, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Runs `fn` as the order's root span (`create`) or under it (any later action), in the order's trace.
 * Without tracing installed, just runs `fn`.
 */
export function inOrderTrace<T>(
  orderId: string,
  action: string,
  kind: 'create' | 'action',
  fn: () => Promise<T>,
): Promise<T> {
  if (!enabled) return fn();
  const tracer = trace.getTracer(TRACER);
  const options = {
    kind: SpanKind.INTERNAL,
    links: requestLink(),
    attributes: { 'oms.order.id': orderId, 'oms.order.action': action },
  };
  const name = `order ${action}`;
  const traceId = orderTraceId(orderId);
  if (kind === 'create') {
    const ids = { traceId, spanId: orderRootSpanId(orderId), traceTaken: false, spanTaken: false };
    return forcedIds.run(ids, () =>
      tracer.startActiveSpan(name, { ...options, root: true }, (span) => inSpan(span, fn)),
    );
  }
  const root = trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: orderRootSpanId(orderId),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  return context.with(root, () => tracer.startActiveSpan(name, options, root, (span) => inSpan(span, fn)));
}
