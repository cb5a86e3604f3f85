import { BigIntType, type Rel } from '@mikro-orm/core';
import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Order } from './order.entity';

@Entity({ tableName: 'order_lines' })
export class OrderLine {
  @ManyToOne(() => Order, { primary: true, deleteRule: 'cascade' })
  order!: Rel<Order>;

  @PrimaryKey({ type: 'integer' })
  position!: number;

  @Property({ type: 'uuid' })
  productId!: string;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'integer' })
  quantity!: number;

  @Property({ type: new BigIntType('number') })
  unitPrice!: number;

  @Property({ type: new BigIntType('number') })
  lineTotal!: number;
}
