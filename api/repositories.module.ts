import { EntityManager } from '@mikro-orm/postgresql';
import { Global, Module, type Provider } from '@nestjs/common';
import {
  AssignmentRepository,
  AuditRepository,
  CustomerRepository,
  DeliveryRepository,
  DestinationRepository,
  DocumentRepository,
  EscalationRepository,
  FeedbackRepository,
  NotificationSettingsRepository,
  OrderArchiveRepository,
  WebhookRepository,
  LoginThrottleRepository,
  SessionRepository,
  NotificationRepository,
  UserRepository,
  OrderRepository,
  ProductRepository,
  ReportRepository,
  ReturnRepository,
  SettingsRepository,
  StockRepository,
  TaskRepository,
  ViewRepository,
  InboundRepository,
  ImportRepository,
  ApiKeyRepository,
} from '../db/repositories';

/** The repositories from db/, each bound to the request-scoped entity manager. */
const repositories: Provider[] = [
  AssignmentRepository,
  AuditRepository,
  CustomerRepository,
  DeliveryRepository,
  DestinationRepository,
  DocumentRepository,
  EscalationRepository,
  FeedbackRepository,
  InboundRepository,
  NotificationSettingsRepository,
  OrderArchiveRepository,
  WebhookRepository,
  LoginThrottleRepository,
  SessionRepository,
  NotificationRepository,
  UserRepository,
  OrderRepository,
  ProductRepository,
  ReportRepository,
  ReturnRepository,
  SettingsRepository,
  StockRepository,
  TaskRepository,
  ViewRepository,
  ImportRepository,
  ApiKeyRepository,
].map((repository) => ({
  provide: repository,
  inject: [EntityManager],
  useFactory: (em: EntityManager) => new repository(em),
}));

@Global()
@Module({ providers: repositories, exports: repositories })
export class RepositoriesModule {}
