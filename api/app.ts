import 'reflect-metadata';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '../config/config';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { AuthService } from './auth/auth.service';
import { jsonBody } from './errors/body-parser';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { createValidationPipe } from './errors/validation';
import { Logger } from 'nestjs-pino';
import { assignRequestId, runWithRequestId } from './request-context.middleware';
import { MetricsService } from './services/metrics.service';

/** The OpenAPI description, generated from the controllers and DTOs that serve the requests. */
export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Order management API')
    .setDescription('Customer orders, each a durable Temporal workflow. Money is integer minor units.')
    .setVersion('0.1.0')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Builds the Nest application (not yet listening): prefix, validation, error filter and docs. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.with(config), {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
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
  app.use(...jsonBody());
  app.use(runWithRequestId);
  // The contract puts every /api route but sign-in behind a bearer token, the OpenAPI document included.
  const auth = app.get(AuthService);
  const filter = new HttpExceptionFilter();
  app.use('/api/docs', (request: Request, response: Response, next: NextFunction) => {
    auth.authenticate(request.headers.authorization).then(
      () => next(),
      (error: unknown) => filter.send(response, error),
    );
  });
  app.setGlobalPrefix('api', { exclude: ['health', 'health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(filter);
  SwaggerModule.setup('api/docs', app, buildOpenApi(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
