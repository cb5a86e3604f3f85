// First: tracing wraps pg, express and Nest as they load.
import { tracing } from './tracing';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/config';
import { checkPostgresTls } from '../db/postgres-check';
import { describeStartupFailure } from '../ops/startup-failure';
import { checkTemporal } from '../ops/temporal-connection';
import { createApp } from './app';

/**
 * Starts the HTTP API on the configured address. On SIGTERM/SIGINT it drains: readiness turns 503, event
 * streams close, the server stops accepting and finishes the requests in flight, then the database and
 * Temporal connections close. After OMS_SHUTDOWN_GRACE_MS it exits regardless.
 */
async function run(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('API');
  // Settings Temporal refuses (certificates, namespace, credentials) stop the start with their reason; a
  // Temporal that does not answer yet does not: the API answers 503 for what needs it until it is back.
  await checkPostgresTls(config.databaseUrl, 'DATABASE_URL');
  const unreachable = await checkTemporal(config.temporal);
  if (unreachable) logger.warn(`${unreachable}; starting anyway`);
  const app = await createApp(config);
  await app.listen(config.api.port, config.api.host);
  logger.log(`listening on http://${config.api.host}:${config.api.port}/api`);
  let closing = false;
  const drain = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: finishing requests in flight, then stopping`);
    setTimeout(() => {
      logger.warn(`requests still running after ${config.shutdownGraceMs} ms; exiting anyway`);
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    app.close().then(
      // The spans of the last requests leave before the process does.
      async () => (await tracing?.shutdown().catch(() => undefined), process.exit(0)),
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => drain('SIGTERM'));
  process.once('SIGINT', () => drain('SIGINT'));
}

run().catch((error: unknown) => {
  console.error('api failed:', describeStartupFailure(error));
  process.exit(1);
});
