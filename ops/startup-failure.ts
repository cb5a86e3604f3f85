import { ConfigError } from '../config/config';
import { PostgresTlsError } from '../config/postgres-tls';
import { TemporalConnectionError } from './temporal-connection-error';

/**
 * What a process prints when it cannot start: a wrong setting's message alone (it names the setting and
 * what to change; a stack trace would only bury it), any other error whole.
 */
export function describeStartupFailure(error: unknown): unknown {
  const settings = [ConfigError, PostgresTlsError, TemporalConnectionError];
  return settings.some((kind) => error instanceof kind) ? (error as Error).message : error;
}
