import { BigIntType, Collection } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Awaiting, OrderSnapshot, OrderStatus } from '../../domain/order';
import { Customer } from './customer.entity';
import { OrderLine } from './order-line.entity';

/**
 * The SQL mirror of an order workflow's state, written only by the workflow's activities. `snapshot` is
 * the workflow's state as is; the other columns repeat parts of it for filtering, search and reports.
 */
@Entity({ tableName: 'orders' })
// The list by status, newest first (see Migration20261126120000_status_list_index).
@Index({
  name: 'orders_status_created_index',
  expression:
    'create index "orders_status_created_index" on "orders" ("status", "created_at" desc, "id" desc)',
})
// The list by what orders wait for, and by total (see Migration20261126140000_list_indexes).
@Index({
  name: 'orders_awaiting_created_index',
  expression:
    'create index "orders_awaiting_created_index" on "orders" ("awaiting", "created_at" desc, "id" desc) where "awaiting" is not null',
})
@Index({ name: 'orders_total_index', properties: ['total'] })
export class Order {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  number!: string;

  @ManyToOne(() => Customer, { index: true })
  customer!: Customer;

  @Property({ type: 'text' })
  status!: OrderStatus;

  @Property({ type: 'text', nullable: true })
  awaiting: Awaiting | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  awaitingSince: Date | null = null;

  @Property({ type: 'text', length: 3 })
  currency!: string;

  /** Minor units of `currency`. */
  @Property({ type: new BigIntType('number') })
  total!: number;

  @Property({ type: 'text', nullable: true })
  notes: string | null = null;

  @Property({ type: 'jsonb' })
  snapshot!: OrderSnapshot;

  @Property({ type: 'text', nullable: true })
  carrier: string | null = null;

  @Property({ type: 'text', nullable: true })
  trackingNumber: string | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  shippedAt: Date | null = null;

  @Property({ type: 'timestamptz', nullable: true })
  completedAt: Date | null = null;

  /** The workflow's snapshot version this row reflects. */
  @Property({ type: 'integer' })
  version!: number;

  @OneToMany(() => OrderLine, (line) => line.order, { orderBy: { position: 'asc' } })
  lines = new Collection<OrderLine>(this);

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}
