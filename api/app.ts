import 'reflect-metadata';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '../config/config';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppModule } from './app.module';
import { AuthService } from './auth/auth.service';
import { jsonBody } from './errors/body-parser';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { createValidationPipe } from './errors/validation';

const LOG_LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug'];

/** The OpenAPI description, generated from the controllers and DTOs that serve the requests. */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Order management API')
    .setDescription('Customer orders, each a durable Temporal workflow. Money is integer minor units.')
    .setVersion('0.1.0')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Paths the console never answers: the API, operations endpoints, and the customer's tracking page. */
const NOT_CONSOLE = /^\/(api|health|metrics|track)(\/|$)/;

/**
 * Serves the built web console at `/`: its files (hashed assets cached for a year), and its entry page for
 * any other GET that is not an API path, so client-side routes survive a reload.
 */
function serveConsole(app: INestApplication, dir: string): void {
  const entry = path.join(dir, 'index.html');
  if (!existsSync(entry)) {
    new Logger('Console').warn(`no console at ${dir} (run npm run build); serving the API only`);
    return;
  }
  app.use(
    express.static(dir, {
      index: false,
      setHeaders: (response, file) =>
        response.setHeader(
          'Cache-Control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    }),
  );
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_CONSOLE.test(request.path))
      return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(entry);
  });
}

/** Builds the Nest application (not yet listening): prefix, validation, error filter and docs. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.with(config), {
    logger: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel) + 1),
    abortOnError: false,
    bodyParser: false,
  });
  app.use(...jsonBody());
  // The contract puts every /api route but sign-in behind a bearer token, the OpenAPI document included.
  const auth = app.get(AuthService);
  const filter = new HttpExceptionFilter();
  app.use('/api/docs', (request: Request, response: Response, next: NextFunction) => {
    auth.authenticateRequest(request).then(
      () => next(),
      (error: unknown) => filter.send(response, error),
    );
  });
  serveConsole(app, config.api.consoleDir);
  app.setGlobalPrefix('api', { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(filter);
  app.enableShutdownHooks();
  SwaggerModule.setup('api/docs', app, buildOpenApi(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
