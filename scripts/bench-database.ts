import { loadConfig } from '../config/config';
import { startEmbeddedPostgres } from '../db/embedded-postgres';

/**
 * The database the large-data scripts work on: DATABASE_URL when set, otherwise the embedded PostgreSQL of
 * OMS_DATA_DIR on OMS_PG_PORT (started here, stopped by `close`). Use a data folder of its own, e.g.
 * `OMS_DATA_DIR=/tmp/oms-large OMS_PG_PORT=55432`.
 */
export async function openDatabase(): Promise<{ url: string; close: () => Promise<void> }> {
  const config = loadConfig();
  if (!config.embeddedPostgres) return { url: config.databaseUrl, close: () => Promise.resolve() };
  console.log(`[db] embedded PostgreSQL in ${config.dataDir} on 127.0.0.1:${config.embeddedPostgres.port}`);
  const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgres.port });
  return { url: pg.url, close: () => pg.stop() };
}
