export { CustomerRepository } from './customer.repository';
export { OrderRepository } from './order.repository';
export { ProductRepository, DuplicateSkuError } from './product.repository';
