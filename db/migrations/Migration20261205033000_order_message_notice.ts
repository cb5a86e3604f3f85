import { Migration } from '@mikro-orm/migrations';

/**
 * Who hears that a customer's e-mail joined an order (`order.message`, docs/inbound-mail.md): staff, so
 * the order's assignee when it has one, else every clerk (the rule of every order notification). Managers
 * and admins may add themselves in the notification settings.
 */
export class Migration20261205033000_order_message_notice extends Migration {
  override up(): void {
    this.addSql(`insert into "notification_recipients" ("kind", "roles", "customer")
      values ('order.message', '{staff}', false) on conflict do nothing;`);
  }

  override down(): void {
    this.addSql(`delete from "notification_recipients" where "kind" = 'order.message';`);
  }
}
