import { Customer } from './customer.entity';
import { Order } from './order.entity';
import { OrderLine } from './order-line.entity';
import { Product } from './product.entity';

export { Customer, Order, OrderLine, Product };
export const ENTITIES = [Customer, Product, Order, OrderLine];
