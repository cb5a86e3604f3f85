import { Migration } from '@mikro-orm/migrations';

/**
 * Who hears of a return's changes (`return.updated`, docs/returns.md): the customer by e-mail; staff only when
 * a manager names their roles.
 */
export class Migration20261206030000_return_notice extends Migration {
  override up(): void {
    this.addSql(`insert into "notification_recipients" ("kind", "roles", "customer")
      values ('return.updated', '{}', true) on conflict do nothing;`);
  }

  override down(): void {
    this.addSql(`delete from "notification_recipients" where "kind" = 'return.updated';`);
  }
}
