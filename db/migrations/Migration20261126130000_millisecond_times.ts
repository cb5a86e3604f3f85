import { Migration } from '@mikro-orm/migrations';

/**
 * Feedback, deliveries and notifications are listed newest first in pages cut by creation time, which the
 * cursor (and JavaScript) carries to the millisecond. Their creation times now hold milliseconds, so the
 * pages can be cut by the column as stored (existing times are rounded once, here).
 */
export class Migration20261126130000_millisecond_times extends Migration {
  override up(): void {
    for (const table of ['feedback', 'deliveries', 'notifications']) {
      this.addSql(`alter table "${table}" alter column "created_at" type timestamptz(3);`);
    }
  }

  override down(): void {
    for (const table of ['feedback', 'deliveries', 'notifications']) {
      this.addSql(`alter table "${table}" alter column "created_at" type timestamptz;`);
    }
  }
}
