/**
 * Writes the API's OpenAPI document without a database or Temporal: Nest's preview mode builds the route
 * table from the controllers and DTOs without instantiating any provider. The console's typed client is
 * generated from this file (`npm run console:api-types`).
 */
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config/config';
import { applyGlobalPrefix, buildOpenApi } from '../api/app';
import { AppModule } from '../api/app.module';

/** The API's OpenAPI document, as `/api/docs-json` serves it. */
export async function openApiDocument(): Promise<ReturnType<typeof buildOpenApi>> {
  const app = await NestFactory.create(AppModule.with(loadConfig({})), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  applyGlobalPrefix(app);
  const document = buildOpenApi(app);
  await app.close();
  return document;
}

async function run(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new Error('usage: openapi-document <output.json>');
  writeFileSync(target, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error('openapi-document failed:', error);
    process.exit(1);
  });
}
