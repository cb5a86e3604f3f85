import { Migration } from '@mikro-orm/migrations';

/**
 * Each delivery keeps the retry policy it was planned with (attempts before it fails, the wait after its own
 * failure), as Temporal keeps an activity's retry policy with the activity, not with the worker that runs it:
 * any worker's dispatcher may send it, and a fleet being reconfigured (or one process started with other
 * settings) must not give the same delivery more or fewer attempts depending on who took its destination.
 * Null on deliveries planned before: the sending process's own settings apply, as they did.
 */
export class Migration20261205000000_delivery_policy extends Migration {
  override up(): void {
    this.addSql(`alter table "deliveries"
      add column "max_attempts" int check ("max_attempts" > 0),
      add column "retry_interval_ms" int check ("retry_interval_ms" > 0);`);
  }

  override down(): void {
    this.addSql(`alter table "deliveries" drop column "max_attempts", drop column "retry_interval_ms";`);
  }
}
