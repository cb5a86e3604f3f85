import { ApprovalSetting } from './approval-setting.entity';
import { Customer } from './customer.entity';
import { DeliveryEntity } from './delivery.entity';
import { FeedbackEntity, type PersonRef } from './feedback.entity';
import { NotificationRecipient } from './notification-recipient.entity';
import { NotificationEntity } from './notification.entity';
import { Order } from './order.entity';
import { OrderLine } from './order-line.entity';
import { Product } from './product.entity';
import { OrderShipmentEntity, OrderShipmentLineEntity } from './shipment.entity';
import { ROLES, User, isRole, type Role } from './user.entity';
import { WebhookEntity } from './webhook.entity';

export {
  ApprovalSetting,
  Customer,
  DeliveryEntity,
  FeedbackEntity,
  NotificationEntity,
  NotificationRecipient,
  Order,
  OrderLine,
  OrderShipmentEntity,
  OrderShipmentLineEntity,
  Product,
  ROLES,
  User,
  WebhookEntity,
  isRole,
  type PersonRef,
  type Role,
};
export const ENTITIES = [
  ApprovalSetting,
  Customer,
  Product,
  Order,
  OrderLine,
  OrderShipmentEntity,
  OrderShipmentLineEntity,
  User,
  WebhookEntity,
  NotificationRecipient,
  NotificationEntity,
  DeliveryEntity,
  FeedbackEntity,
];
