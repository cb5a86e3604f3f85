import { ApprovalSetting } from './approval-setting.entity';
import { Customer } from './customer.entity';
import { Order } from './order.entity';
import { OrderLine } from './order-line.entity';
import { Product } from './product.entity';
import { ROLES, User, isRole, type Role } from './user.entity';

export { ApprovalSetting, Customer, Order, OrderLine, Product, ROLES, User, isRole, type Role };
export const ENTITIES = [ApprovalSetting, Customer, Product, Order, OrderLine, User];
