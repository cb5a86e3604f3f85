import type { WorkflowClientInterceptor } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { AppConfig } from '../../config/config';
import { requestIdClientInterceptor } from './request-id.interceptor';

/**
 * The Temporal client's workflow interceptors: the request id always; with tracing, Temporal's own, which
 * opens a span for each start, update or signal and passes its context to the workflow in the headers.
 */
export function clientInterceptors(config: Pick<AppConfig, 'tracing'>): WorkflowClientInterceptor[] {
  return [
    requestIdClientInterceptor,
    ...(config.tracing ? [new OpenTelemetryWorkflowClientInterceptor()] : []),
  ];
}
