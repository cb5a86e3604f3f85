/**
 * The suite's Temporal as settings a product process reads. In the PostgreSQL-backed stage
 * (OMS_TEST_TEMPORAL=postgres) the suite reaches Temporal only through an endpoint that requires TLS and a
 * client certificate (global setup), so these carry the TLS variables too.
 */
import { loadConfig, type AppConfig } from '../../config/config';

/** TEMPORAL_ADDRESS and, when the suite's endpoint requires them, the TEMPORAL_TLS_* variables. */
export function temporalTestEnv(): Record<string, string> {
  const address = process.env.OMS_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('OMS_TEST_TEMPORAL_ADDRESS is not set: run integration tests through jest');
  const tls = JSON.parse(process.env.OMS_TEST_TEMPORAL_TLS_ENV ?? '{}') as Record<string, string>;
  return { TEMPORAL_ADDRESS: address, ...tls };
}

/** The suite's Temporal loaded as the product loads it (variables only: no developer's temporal.toml). */
export function testTemporalSettings(env: Record<string, string> = {}): AppConfig['temporal'] {
  return loadConfig({ ...temporalTestEnv(), ...env }, false, { temporalConfigFile: false }).temporal;
}
