export { CustomerRepository } from './customer.repository';
export { OrderRepository, type OrderFilter, type SearchLimits } from './order.repository';
export { InvalidCursorError, type Page } from './pagination';
export {
  PaymentRepository,
  RefundExceedsCaptureError,
  type ChargeRequest,
  type ChargeResult,
} from './payment.repository';
export { DuplicateSkuError, ProductRepository } from './product.repository';
export { SettingsRepository } from './settings.repository';
export { ShipmentRepository, type ShipmentWritten } from './shipment.repository';
export {
  DuplicateLocationError,
  LocationBelowReservedError,
  LocationRepository,
  LocationShortError,
  type LocationLevel,
  type StockLocation,
} from './location.repository';
export {
  StockAboveLimitError,
  StockBelowReservedError,
  StockRepository,
  type StockLevel,
  type StockLine,
} from './stock.repository';
export { AuditRepository, type AuditEntry, type AuditRecord } from './audit.repository';
export { LoginThrottleRepository, type ThrottleRule } from './login-throttle.repository';
export {
  SESSION_EVENTS_CHANNEL,
  SessionRepository,
  type SessionEnded,
  type SessionKind,
  type SessionUser,
} from './session.repository';
export { CorruptArchiveError } from './sealed';
export {
  ArchiveQueueRepository,
  type ArchiveQueueDepth,
  type ClaimedArchive,
} from './archive-queue.repository';
export {
  OrderArchiveRepository,
  type ArchivedHistory,
  type ArchivedOrder,
  type OrderRecordParts,
} from './order-archive.repository';
export {
  DeliveryRepository,
  type Delivery,
  type DeliveryFilter,
  type DeliveryPolicy,
  type NewDelivery,
} from './delivery.repository';
export {
  OutboxRepository,
  type ClaimedDelivery,
  type HeldDestination,
  type Recovered,
  type Settlement,
} from './outbox.repository';
export { DestinationRepository, type DestinationView } from './destination.repository';
export { NotificationSettingsRepository, type RecipientSetting } from './notification-settings.repository';
export { WebhookRepository, type Webhook, type WebhookWithSecret } from './webhook.repository';
export { DuplicateUsernameError, UserRepository, type NewUser, type UserChanges } from './user.repository';
export {
  NotificationRepository,
  type DigestReader,
  type NewNotification,
  type NotificationRow,
  type Recipient,
} from './notification.repository';
export {
  EscalationRepository,
  type EscalatedOrder,
  type StoredCalendar,
  type StoredPolicy,
} from './escalation.repository';
export {
  ReportRepository,
  type Period,
  type SalesGrouping,
  type SalesRow,
  type RankedRow,
  type Ranking,
  type StageTimes,
  type OpenOrder,
  SHIPPING_MEASURES,
  type ShippingMeasure,
  type ShippingTimes,
} from './report.repository';
export {
  DocumentRepository,
  type Invoice,
  type SellerSetting,
  type StoredSeller,
} from './document.repository';
export { FeedbackRepository, type Feedback, type FeedbackFilter } from './feedback.repository';
export { ViewRepository, type SavedView } from './view.repository';
export { DelegationRepository, type Delegation } from './delegation.repository';
export {
  AssignmentRepository,
  ReturnAssignmentRepository,
  type Assignee,
  type AssignmentChange,
} from './assignment.repository';
export { AssignmentRuleRepository } from './assignment-rule.repository';
export { TaskRepository, type TaskRow } from './task.repository';
export { ReturnRepository, type CreditNote, type NewReturn, type ReturnCreated } from './return.repository';
export {
  InboundRepository,
  type AttachmentBytes,
  type AttachmentInfo,
  type ConversationMessage,
  type StoredAttachment,
  type IncomingMail,
  type InboundItem,
  type MailboxState,
} from './inbound.repository';
export {
  ImportRepository,
  type CustomerMatch,
  type ImportOrder,
  type ImportResult,
  type ImportStatus,
  type StoredImport,
} from './import.repository';
export { ApiKeyRepository, type ApiKey, type ApiKeyWithHash } from './api-key.repository';
export { IntegrationEventRepository, UnknownEventError, eventIdOf } from './integration-event.repository';
export {
  QuoteRepository,
  type LockedQuote,
  type NewQuote,
  type Quote,
  type QuoteFilter,
  type QuoteMail,
} from './quote.repository';
