/** Imported first by the API's entry point: tracing must be installed before pg, express and Nest load. */
import { startProcessTracing } from '../ops/tracing-start';

export const tracing = startProcessTracing('oms-api');
