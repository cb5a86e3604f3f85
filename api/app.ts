import 'reflect-metadata';
import { type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '../config/config';
import type { ActorResolver, RequestWithActor } from './auth/actor.decorator';
import { AppModule } from './app.module';
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

export interface AppOptions {
  /** Who is acting on a request; until sign-in exists, tests use this to act as a manager. */
  resolveActor?: ActorResolver;
}

/** Builds the Nest application (not yet listening): prefix, validation, error filter and docs. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.with(config), {
    logger: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel) + 1),
    abortOnError: false,
    bodyParser: false,
  });
  app.use(...jsonBody());
  const { resolveActor } = options;
  if (resolveActor) {
    app.use((request: RequestWithActor, _response: unknown, next: () => void) => {
      request.actor = resolveActor(request);
      next();
    });
  }
  app.setGlobalPrefix('api', { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.enableShutdownHooks();
  SwaggerModule.setup('api/docs', app, buildOpenApi(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
