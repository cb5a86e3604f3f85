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
  LocationRepository,
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
  SettingsRepository,
  StockRepository,
  TaskRepository,
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
  LocationRepository,
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
  SettingsRepository,
  StockRepository,
  TaskRepository,
].map((repository) => ({
  provide: repository,
  inject: [EntityManager],
  useFactory: (em: EntityManager) => new repository(em),
}));

@Global()
@Module({ providers: repositories, exports: repositories })
export class RepositoriesModule {}
