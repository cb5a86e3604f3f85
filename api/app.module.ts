import { loggedPath } from './logged-path';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { logDestination, loggerOptions } from '../ops/logger';
import { AppConfig } from '../config/config';
import { REQUEST_PATH_DEADLINES, ormConfig } from '../db/mikro-orm.config';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { AuditController } from './controllers/audit.controller';
import { BackupController } from './controllers/backup.controller';
import { MetricsController } from './controllers/metrics.controller';
import { AuthController } from './controllers/auth.controller';
import { CustomerController } from './controllers/customer.controller';
import { DeliveryController } from './controllers/delivery.controller';
import { DocumentController } from './controllers/document.controller';
import { EscalationController } from './controllers/escalation.controller';
import { EventsController } from './controllers/events.controller';
import { FeedbackController } from './controllers/feedback.controller';
import { InboundController, OrderMessageController } from './controllers/inbound.controller';
import { HealthController } from './controllers/health.controller';
import { HistoryController } from './controllers/history.controller';
import { ImportController } from './controllers/import.controller';
import { ApiKeyController } from './controllers/api-key.controller';
import { IntegrationController } from './controllers/integration.controller';
import { NotificationController } from './controllers/notification.controller';
import { OrderController } from './controllers/order.controller';
import { TaskController } from './controllers/task.controller';
import { ViewController } from './controllers/view.controller';
import { LocationController } from './controllers/location.controller';
import { ProductController } from './controllers/product.controller';
import { ReportController } from './controllers/report.controller';
import { ReturnController } from './controllers/return.controller';
import { SettingsController } from './controllers/settings.controller';
import { TrackingController } from './controllers/tracking.controller';
import { QuoteController } from './controllers/quote.controller';
import { QuotePageController } from './controllers/quote-page.controller';
import { UserController } from './controllers/user.controller';
import { WebhookController } from './controllers/webhook.controller';
import { RepositoriesModule } from './repositories.module';
import { AuditService } from './services/audit.service';
import { BackupService } from './services/backup.service';
import { MetricsService } from './services/metrics.service';
import { CustomerService } from './services/customer.service';
import { DeliveryService } from './services/delivery.service';
import { DocumentService } from './services/document.service';
import { HeavyWork } from './services/heavy-work';
import { EscalationService } from './services/escalation.service';
import { FeedbackService } from './services/feedback.service';
import { InboundService } from './services/inbound.service';
import { HealthService } from './services/health.service';
import { HistoryService } from './services/history.service';
import { ImportService } from './services/import.service';
import { ApiKeyService } from './services/api-key.service';
import { IntegrationEventService } from './services/integration-event.service';
import { NotificationService } from './services/notification.service';
import { OrderEventsService } from './services/order-events.service';
import { OrderBulkService } from './services/order-bulk.service';
import { OrderService } from './services/order.service';
import { TaskService } from './services/task.service';
import { ViewService } from './services/view.service';
import { DelegationService } from './services/delegation.service';
import { LocationService } from './services/location.service';
import { ProductService } from './services/product.service';
import { ReportService } from './services/report.service';
import { ReturnService } from './services/return.service';
import { SettingsService } from './services/settings.service';
import { TrackingService } from './services/tracking.service';
import { QuoteService } from './services/quote.service';
import { UserService } from './services/user.service';
import { WebhookService } from './services/webhook.service';
import { TemporalModule } from './temporal/temporal.module';

@Global()
@Module({})
class ConfigModule {
  static with(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}

/**
 * Request logs: one JSON line per answered request with its id, method, path (`loggedPath`), status and
 * time; health checks and scrapes are not logged.
 */
function requestLogging(config: AppConfig): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: [
      {
        ...loggerOptions(config, 'api'),
        genReqId: (request: IncomingMessage) => request.id,
        serializers: {
          req: (request: { id: string; method: string; url: string }) => ({
            id: request.id,
            method: request.method,
            path: loggedPath(request.url),
          }),
          res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
        },
        customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
          error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
        autoLogging: {
          ignore: (request: IncomingMessage) => /^\/(health|metrics)(\/|$|\?)/.test(request.url ?? ''),
        },
      },
      logDestination(config),
    ],
  });
}

/** The HTTP application, built from an already validated configuration. */
@Module({})
export class AppModule {
  static with(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.with(config),
        requestLogging(config),
        MikroOrmModule.forRoot({
          ...ormConfig(config.databaseUrl, REQUEST_PATH_DEADLINES),
          registerRequestContext: true,
        }),
        TemporalModule,
        RepositoriesModule,
      ],
      controllers: [
        AuthController,
        UserController,
        AuditController,
        HistoryController,
        NotificationController,
        DeliveryController,
        WebhookController,
        EscalationController,
        OrderController,
        TaskController,
        ViewController,
        CustomerController,
        ProductController,
        LocationController,
        SettingsController,
        ReportController,
        ReturnController,
        DocumentController,
        FeedbackController,
        OrderMessageController,
        InboundController,
        EventsController,
        HealthController,
        MetricsController,
        BackupController,
        TrackingController,
        ImportController,
        QuoteController,
        QuotePageController,
        ApiKeyController,
        IntegrationController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        AuthService,
        UserService,
        AuditService,
        OrderService,
        OrderBulkService,
        TaskService,
        ViewService,
        DelegationService,
        CustomerService,
        ProductService,
        LocationService,
        SettingsService,
        ReportService,
        ReturnService,
        DocumentService,
        HeavyWork,
        FeedbackService,
        InboundService,
        DeliveryService,
        WebhookService,
        EscalationService,
        OrderEventsService,
        HealthService,
        HistoryService,
        NotificationService,
        MetricsService,
        BackupService,
        TrackingService,
        ImportService,
        QuoteService,
        ApiKeyService,
        IntegrationEventService,
      ],
    };
  }
}
