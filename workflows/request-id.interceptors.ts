/**
 * Workflow interceptors (registered with `interceptors.workflowModules`): the request id that reached the
 * workflow last (with its start, an update or a signal) is added to the workflow's log lines and passed on
 * to the activities it schedules. Headers are not part of replay's determinism checks, so histories
 * recorded before this module existed replay unchanged.
 */
import type { Headers } from '@temporalio/common';
import { defaultPayloadConverter, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { REQUEST_ID_HEADER_KEY } from './request-id';

export const interceptors: WorkflowInterceptorsFactory = () => {
  // One factory call per workflow execution, so this is the workflow's own.
  let requestId: string | undefined;
  const remember = (headers: Headers): void => {
    const payload = headers[REQUEST_ID_HEADER_KEY];
    if (payload) requestId = defaultPayloadConverter.fromPayload<string>(payload);
  };
  const withRequestId = <T extends { headers: Headers }>(input: T): T =>
    requestId
      ? {
          ...input,
          headers: {
            ...input.headers,
            [REQUEST_ID_HEADER_KEY]: defaultPayloadConverter.toPayload(requestId),
          },
        }
      : input;
  return {
    inbound: [
      {
        execute: (input, next) => (remember(input.headers), next(input)),
        handleUpdate: (input, next) => (remember(input.headers), next(input)),
        handleSignal: (input, next) => (remember(input.headers), next(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(withRequestId(input)),
        scheduleLocalActivity: (input, next) => next(withRequestId(input)),
        getLogAttributes: (input, next) => next(requestId ? { ...input, requestId } : input),
      },
    ],
  };
};
