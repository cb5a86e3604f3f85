import { Collection, OptionalProps, type Rel } from '@mikro-orm/core';
import { Entity, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One parcel of an order that left the warehouse (Migration20261204500000_shipments). Written only by the
 * order workflow's `shipGoods` activity, with the stock its units take; the order's snapshot lists the same
 * shipments for reading.
 */
@Entity({ tableName: 'order_shipments' })
export class OrderShipmentEntity {
  [OptionalProps]?: 'location' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** No relation to `Order`: the shipment outlives the order's row when the order is archived. */
  @Property({ type: 'uuid', index: 'order_shipments_order_index' })
  orderId!: string;

  @Property({ type: 'text', default: 'MAIN' })
  location: string = 'MAIN';

  @Property({ type: 'text' })
  carrier!: string;

  @Property({ type: 'text' })
  trackingNumber!: string;

  @Property({ type: 'timestamptz' })
  shippedAt!: Date;

  /** Who recorded it: `{id, username}`. */
  @Property({ type: 'jsonb' })
  shippedBy!: { id: string; username: string };

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @OneToMany(() => OrderShipmentLineEntity, (line) => line.shipment, { orderBy: { position: 'asc' } })
  lines = new Collection<OrderShipmentLineEntity>(this);
}

/** Units of one order line in one shipment. */
@Entity({ tableName: 'order_shipment_lines' })
export class OrderShipmentLineEntity {
  @ManyToOne(() => OrderShipmentEntity, { primary: true, deleteRule: 'cascade' })
  shipment!: Rel<OrderShipmentEntity>;

  @PrimaryKey({ type: 'integer' })
  position!: number;

  @Property({ type: 'uuid' })
  productId!: string;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'integer' })
  quantity!: number;
}
