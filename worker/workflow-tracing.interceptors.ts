/**
 * Workflow interceptors that trace (registered with `interceptors.workflowModules` when tracing is on; they
 * run inside the workflow sandbox, bundled with the workflow code, not in the worker's process).
 *
 * Why not `@temporalio/interceptors-opentelemetry`'s own: they wrap every call in `async` functions and
 * `await` the result, which resolves the workflow's promises a few microtasks later than without them. When
 * an update handler and the main loop both act in one activation (an edit whose local activities finish in
 * the same workflow task), that reorders their commands, and a history recorded without tracing no longer
 * replays with it (test/replay.spec.ts: "Timer machine does not handle this event: UpdateCompleted"), nor the
 * other way round. These make the same spans with the package's tracer and header format but hand the
 * workflow the very promise it would get without them: the span is opened and made current synchronously
 * around `next`, and ended beside it. So turning tracing on or off changes no command's order.
 */
import { SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import {
  extractContextFromHeaders,
  headersWithContext,
} from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { ContinueAsNew, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/**
 * The package's tracer inside the sandbox (its span processor hands ended spans to the worker's `exporter`
 * sink) and its context manager; both are set up once, by the first interceptor the package constructs.
 * The package's `@opentelemetry/api` is its own copy, so contexts are made and read only through its tracer.
 */
function packageTracer(): Tracer {
  return (new OpenTelemetryInboundInterceptor() as unknown as { tracer: Tracer }).tracer;
}

/** Ends `span` when `result` settles, without delaying anyone who awaits `result` itself. */
function endWith<T>(span: Span, result: Promise<T>, acceptable?: (error: unknown) => boolean): Promise<T> {
  result.then(
    () => span.end(),
    (error: unknown) => {
      if (!acceptable?.(error)) {
        if (error instanceof Error) span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      }
      span.end();
    },
  );
  return result;
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  const tracer = packageTracer();
  // `parent`: the context the caller sent in the headers; without one, the current span's.
  const traced = <T>(
    name: string,
    parent: ReturnType<typeof extractContextFromHeaders>,
    run: () => Promise<T>,
    acceptable?: (error: unknown) => boolean,
  ): Promise<T> =>
    parent
      ? tracer.startActiveSpan(name, {}, parent, (span) => endWith(span, run(), acceptable))
      : tracer.startActiveSpan(name, (span) => endWith(span, run(), acceptable));
  const logAttributes = new OpenTelemetryOutboundInterceptor();
  return {
    inbound: [
      {
        execute: (input, next) =>
          traced(
            `RunWorkflow:${workflowInfo().workflowType}`,
            extractContextFromHeaders(input.headers),
            () => next(input),
            (error) => error instanceof ContinueAsNew,
          ),
        handleUpdate: (input, next) =>
          traced(`HandleUpdate:${input.name}`, extractContextFromHeaders(input.headers), () => next(input)),
        handleSignal: (input, next) =>
          traced(`HandleSignal:${input.signalName}`, extractContextFromHeaders(input.headers), () =>
            next(input),
          ),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) =>
          traced(`StartActivity:${input.activityType}`, undefined, () =>
            next({ ...input, headers: headersWithContext(input.headers) }),
          ),
        scheduleLocalActivity: (input, next) =>
          traced(`StartActivity:${input.activityType}`, undefined, () =>
            next({ ...input, headers: headersWithContext(input.headers) }),
          ),
        // The context travels on without a span of its own (nothing here awaits them).
        startChildWorkflowExecution: (input, next) =>
          next({ ...input, headers: headersWithContext(input.headers) }),
        signalWorkflow: (input, next) => next({ ...input, headers: headersWithContext(input.headers) }),
        continueAsNew: (input, next) => next({ ...input, headers: headersWithContext(input.headers) }),
        // trace_id and span_id in the workflow's log lines.
        getLogAttributes: (input, next) => logAttributes.getLogAttributes(input, next),
      },
    ],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
