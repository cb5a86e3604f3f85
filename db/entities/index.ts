import { ApprovalSetting } from './approval-setting.entity';
import { Customer } from './customer.entity';
import { NotificationRecipient } from './notification-recipient.entity';
import { Order } from './order.entity';
import { OrderLine } from './order-line.entity';
import { Product } from './product.entity';
import { ROLES, User, isRole, type Role } from './user.entity';
import { WebhookEntity } from './webhook.entity';

export {
  ApprovalSetting,
  Customer,
  NotificationRecipient,
  Order,
  OrderLine,
  Product,
  ROLES,
  User,
  WebhookEntity,
  isRole,
  type Role,
};
export const ENTITIES = [
  ApprovalSetting,
  Customer,
  Product,
  Order,
  OrderLine,
  User,
  WebhookEntity,
  NotificationRecipient,
];
