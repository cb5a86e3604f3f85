import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/config';
import { createApp } from './app';

/** Starts the HTTP API on the configured loopback address. */
async function run(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.api.port, config.api.host);
  new Logger('API').log(`listening on http://${config.api.host}:${config.api.port}/api`);
}

run().catch((error: unknown) => {
  console.error('api failed:', error);
  process.exit(1);
});
