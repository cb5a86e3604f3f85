import { ConnectionException } from '@mikro-orm/core';

/**
 * gRPC's DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED and UNAVAILABLE: Temporal did not answer (in time),
 * or refused for now what may be repeated. (An Update-with-Start that fails carries the code of the
 * operation that failed, in place of the request's FAILED_PRECONDITION.) CANCELLED, UNKNOWN, INTERNAL and
 * DATA_LOSS: the call broke on the way or inside Temporal (seen when a worker was replaced under an
 * Update on a Temporal server), which is the service's failure, not the request's.
 */
const GRPC_DOWN = new Set([1, 2, 4, 8, 10, 13, 14, 15]);

/**
 * Temporal refusing an update because the workflow's last task failed or timed out (a stalled or
 * overloaded worker); the task is retried, so the request may be repeated.
 */
const WORKFLOW_TASK_FAILING = /Workflow Task in failed state/i;

/** Errors of the Temporal client that mean the call did not get through in time. */
const TEMPORAL_DOWN = new Set(['WorkflowUpdateRPCTimeoutOrCancelledError', 'TransportError']);

/**
 * PostgreSQL or its connection failing: socket errors, SQLSTATE class 08 (connection exception), a server
 * shutting down or starting up (57P01-57P03), too many connections (53300).
 */
const PG_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const PG_DOWN_MESSAGES = [
  /Connection terminated/i,
  /Connection ended unexpectedly/i,
  /Timeout acquiring a connection/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /^timeout expired$/, // pg: no connection within connectionTimeoutMillis
  /Client has encountered a connection error/i,
];

export type Dependency = 'PostgreSQL' | 'Temporal';

/**
 * Which dependency an error says could not be reached, looking through its causes; null for any other
 * error. Such a failure is the service's, not the request's: the answer is a 503 the client may repeat.
 */
export function unreachableDependency(error: unknown): Dependency | null {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && isErrorLike(current); depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'number' && GRPC_DOWN.has(code)) return 'Temporal';
    if (TEMPORAL_DOWN.has(current.name)) return 'Temporal';
    if (WORKFLOW_TASK_FAILING.test(current.message)) return 'Temporal';
    if (current instanceof ConnectionException) return 'PostgreSQL';
    if (typeof code === 'string' && (PG_DOWN_CODES.has(code) || code.startsWith('08'))) return 'PostgreSQL';
    const { message } = current;
    if (PG_DOWN_MESSAGES.some((pattern) => pattern.test(message))) return 'PostgreSQL';
    current = current.cause;
  }
  return null;
}

/**
 * An error by its shape, not its prototype: a socket error made by Node's own `net` comes from another
 * realm than the code that catches it where modules run in a VM context (jest), and fails `instanceof Error`.
 */
function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}
