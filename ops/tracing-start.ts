/**
 * Starts tracing for a process from its configuration, before the modules that get instrumented load: the
 * entry points import `startProcessTracing` first of all. A configuration that cannot be read starts none;
 * the entry point then reports it, as it reports every setting.
 */
import { ConfigError, loadConfig } from '../config/config';
import { startTracing, type Tracing } from './tracing';

export function startProcessTracing(service: 'oms-api' | 'oms-worker'): Tracing | null {
  try {
    return startTracing(loadConfig().tracing, service);
  } catch (error) {
    if (error instanceof ConfigError) return null;
    throw error;
  }
}
