/** Imported first by the worker's entry point: tracing must be installed before pg and the ORM load. */
import { startProcessTracing } from '../ops/tracing-start';

export const tracing = startProcessTracing('oms-worker');
