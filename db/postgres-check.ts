import { Client } from 'pg';
import { PostgresTlsError, explainPostgresError, pgClientConfig } from '../config/postgres-tls';

/**
 * Connects once at start: a TLS refusal (untrusted certificate, wrong host name, TLS required or not
 * offered) stops the start with its reason, naming the setting. Any other failure is left to the caller's
 * own handling (the API answers 503 while PostgreSQL is down; the worker's pool retries).
 */
export async function checkPostgresTls(url: string, name: string): Promise<void> {
  const client = new Client({ ...pgClientConfig(url), connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    const explained = explainPostgresError(error, name);
    if (explained instanceof PostgresTlsError) throw explained;
  } finally {
    await client.end().catch(() => undefined);
  }
}
