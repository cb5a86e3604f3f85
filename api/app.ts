import 'reflect-metadata';
import { Logger as NestLogger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config/config';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { AppModule } from './app.module';
import { jsonBody } from './errors/body-parser';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { createValidationPipe } from './errors/validation';
import { Logger } from 'nestjs-pino';
import { assignRequestId, runWithRequestId } from './request-context.middleware';
import { MetricsService } from './services/metrics.service';
import { buildOpenApi } from './openapi/document';
import { TEMPORAL_REQUEST_DEADLINE_MS } from './temporal/temporal.module';
import { Client } from '@temporalio/client';

export { buildOpenApi } from './openapi/document';

/** `/api` before every route but the operations endpoints and the customer's tracking page. */
export function applyGlobalPrefix(app: INestApplication): void {
  app.setGlobalPrefix('api', {
    exclude: [
      'health',
      'health/live',
      'health/ready',
      'metrics',
      'track/:token',
      'track/:token/returns',
      'q/:token',
      'q/:token/accept',
      'q/:token/decline',
    ],
  });
}

/**
 * Security headers on every response: no sniffing, no framing, a content security policy without inline
 * scripts (the Swagger page and the console load theirs from files), HSTS for deployments behind TLS.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}

/** Paths the console never answers: the API, operations endpoints, and the customer's tracking and quote pages. */
/**
 * How long an idle kept-alive connection stays open: longer than the load balancers and proxies in front
 * keep theirs (60 s is common), so they always close first. With Node's default (5 s) a proxy, or a client
 * whose process stalled, could send a request on a connection just as the server closed it, and the request
 * met a reset (a 502 from the proxy, ECONNRESET in the client).
 */
const KEEP_ALIVE_MS = 65_000;

const NOT_CONSOLE = /^\/(api|health|metrics|track|q)(\/|$)/;

/**
 * Serves the built web console at `/`: its files (hashed assets cached for a year), and its entry page for
 * any other GET that is not an API path, so client-side routes survive a reload.
 */
function serveConsole(app: INestApplication, dir: string): void {
  const entry = path.join(dir, 'index.html');
  if (!existsSync(entry)) {
    new NestLogger('Console').warn(`no console at ${dir} (run npm run build); serving the API only`);
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

/**
 * Every Temporal call a request makes shares one deadline, so an unreachable or stalled Temporal makes the
 * request answer 503 in time instead of hanging. The live event stream makes none and is left alone.
 */
function temporalDeadline(client: Client) {
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.path === '/api/events') return next();
    void client.connection.withDeadline(
      Date.now() + TEMPORAL_REQUEST_DEADLINE_MS,
      () =>
        new Promise<void>((resolve) => {
          response.once('close', resolve);
          next();
        }),
    );
  };
}

/** Builds the Nest application (not yet listening): prefix, validation, error filter and docs. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.with(config), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const http = app.getHttpServer() as Server;
  http.keepAliveTimeout = KEEP_ALIVE_MS;
  // Headers of a request must come within this; longer than an idle connection may wait for its next one.
  http.headersTimeout = KEEP_ALIVE_MS + 1_000;
  // Once the server closes (it stops listening at once), a connection whose request finished is closed
  // too, not kept for its next request: closing waits for every connection to end.
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.once('finish', () => {
      if (!http.listening) setImmediate(() => http.closeIdleConnections());
    });
    next();
  });
  const server = app.getHttpAdapter().getInstance() as Express;
  server.disable('x-powered-by');
  server.set('trust proxy', config.api.trustProxy);
  app.use(securityHeaders());
  const metrics = app.get(MetricsService);
  app.use((request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    // 'close' comes for finished and abandoned requests alike; the route is known once routing ran.
    response.once('close', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest(
        request.method,
        route ? `${request.baseUrl}${route}` : 'unmatched',
        response.statusCode,
        seconds,
      );
    });
    next();
  });
  app.use(assignRequestId);
  // The tracking page's return form is a plain HTML form (the page runs no script): its fields, flat.
  app.use('/track', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 300 }));
  app.use(...jsonBody());
  app.use(runWithRequestId);
  app.use(temporalDeadline(app.get(Client)));
  const filter = new HttpExceptionFilter();
  serveConsole(app, config.api.consoleDir);
  applyGlobalPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(filter);
  // Public, as the contract says: the description of the API, never data. JSON at /api/docs-json, YAML at
  // /api/docs-yaml, the browsable page at /api/docs.
  SwaggerModule.setup('api/docs', app, buildOpenApi(app), {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
  return app;
}
