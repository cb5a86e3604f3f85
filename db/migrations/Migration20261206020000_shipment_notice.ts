import { Migration } from '@mikro-orm/migrations';

/**
 * Who hears that part of an order shipped and the rest follows (`order.shipment`, docs/shipments.md): staff
 * and the customer, as of the whole order's shipment.
 */
export class Migration20261206020000_shipment_notice extends Migration {
  override up(): void {
    this.addSql(`insert into "notification_recipients" ("kind", "roles", "customer")
      values ('order.shipment', '{staff}', true) on conflict do nothing;`);
  }

  override down(): void {
    this.addSql(`delete from "notification_recipients" where "kind" = 'order.shipment';`);
  }
}
