/**
 * Traces with OpenTelemetry: HTTP and NestJS in the API, PostgreSQL queries, outgoing webhook calls, the
 * Temporal client, the workflows and their activities, exported over OTLP/HTTP. Installed only when an OTLP
 * endpoint is configured; otherwise nothing here runs and no instrumentation is registered (the API's tracer is
 * OpenTelemetry's no-op, the worker runs the workflow bundle without tracing interceptors).
 *
 * Packages: the current OpenTelemetry JS line (`@opentelemetry/sdk-trace` 3.1, instrumentations 0.301,
 * Node ≥ 22.15) for everything the product traces itself, and `@temporalio/interceptors-opentelemetry` 1.24
 * (the SDK's release) for Temporal. Temporal's interceptors share the API package (`@opentelemetry/api`
 * 1.x, one context and propagator for both), but make the workflow's spans inside the sandbox with
 * OpenTelemetry's SDK 1.x: those arrive through a sink in the 1.x span shape and are turned into this SDK's
 * shape before they join the same processor (`workflowSpanProcessor`).
 */
import { context, propagation, trace, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  RandomIdGenerator,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../config/config';
import { OrderIdGenerator, enableOrderTraces } from './order-trace';

export interface Tracing {
  resource: Resource;
  /** Where every span goes (batched to the OTLP exporter). */
  spanProcessor: SpanProcessor;
  /** Sends what is batched and stops. */
  shutdown(): Promise<void>;
}

let installed: Tracing | null = null;

/** Requests that would only add noise: probes, scrapes and the long-lived event stream. */
function ignoredRequest(request: IncomingMessage): boolean {
  const path = (request.url ?? '').split('?')[0] ?? '';
  return path.startsWith('/health') || path === '/metrics' || path === '/api/events';
}

/**
 * Installs tracing for this process when `settings` is not null (once; later calls return the same).
 * Must run before `pg`, `express` and Nest are loaded, so that their instrumentations can wrap them.
 */
export function startTracing(
  settings: AppConfig['tracing'],
  service: 'oms-api' | 'oms-worker',
): Tracing | null {
  if (installed || !settings) return installed;
  const resource = resourceFromAttributes({ 'service.name': settings.serviceName ?? service });
  const exporter =
    settings.protocol === 'http/json'
      ? new JsonTraceExporter({ url: settings.tracesUrl })
      : new ProtobufTraceExporter({ url: settings.tracesUrl });
  const spanProcessor = new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000 });
  const provider = new TracerProvider({
    resource,
    spanProcessors: [spanProcessor],
    idGenerator: new OrderIdGenerator(new RandomIdGenerator()),
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: ignoredRequest }),
      new ExpressInstrumentation(),
      new NestInstrumentation(),
      // Queries outside any traced work (the pools' own checks, the event listener) are not worth a trace.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  enableOrderTraces();
  installed = { resource, spanProcessor, shutdown: () => provider.shutdown() };
  return installed;
}

/** The tracing this process installed, or null. */
export function installedTracing(): Tracing | null {
  return installed;
}

/** A span as Temporal's workflow interceptors hand it over (OpenTelemetry SDK 1.x's `ReadableSpan`). */
interface WorkflowSpan extends Omit<ReadableSpan, 'parentSpanContext' | 'instrumentationScope' | 'resource'> {
  parentSpanId?: string;
  parentSpanContext?: SpanContext;
  instrumentationLibrary?: ReadableSpan['instrumentationScope'];
  instrumentationScope?: ReadableSpan['instrumentationScope'];
}

/** The same span in this SDK's shape: its parent as a span context, its scope under today's name. */
export function fromWorkflowSpan(span: WorkflowSpan, resource: Resource): ReadableSpan {
  const own = span.spanContext();
  const parentSpanContext =
    span.parentSpanContext ??
    (span.parentSpanId
      ? { traceId: own.traceId, spanId: span.parentSpanId, traceFlags: own.traceFlags, isRemote: false }
      : undefined);
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => own,
    ...(parentSpanContext ? { parentSpanContext } : {}),
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource,
    instrumentationScope: span.instrumentationScope ??
      span.instrumentationLibrary ?? { name: '@temporalio/interceptor-workflow' },
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * The processor Temporal's workflow span sink feeds (`makeWorkflowExporter`): each workflow span, turned
 * into this SDK's shape, goes to the process's own processor.
 */
export function workflowSpanProcessor(tracing: Tracing) {
  return {
    onStart: () => undefined,
    onEnd: (span: WorkflowSpan) => tracing.spanProcessor.onEnd(fromWorkflowSpan(span, tracing.resource)),
    forceFlush: () => tracing.spanProcessor.forceFlush(),
    shutdown: () => Promise.resolve(),
  };
}
