import { Migration } from '@mikro-orm/migrations';

/**
 * Escalation stage `return` (issue 25): managers' reminders for returns waiting for approval or for their
 * units. Off at first (no levels), like a stage a manager has not set.
 */
export class Migration20261205110000_return_escalation extends Migration {
  override up(): void {
    this.addSql(
      `alter table "escalation_policies" drop constraint if exists "escalation_policies_stage_check";`,
    );
    this.addSql(`alter table "escalation_policies" add constraint "escalation_policies_stage_check"
      check ("stage" in ('approval', 'shipment', 'delivery', 'return'));`);
    this.addSql(`insert into "escalation_policies" ("stage", "levels") values ('return', '[]'::jsonb)
      on conflict do nothing;`);
  }

  override down(): void {
    this.addSql(`delete from "escalation_policies" where "stage" = 'return';`);
    this.addSql(
      `alter table "escalation_policies" drop constraint if exists "escalation_policies_stage_check";`,
    );
    this.addSql(`alter table "escalation_policies" add constraint "escalation_policies_stage_check"
      check ("stage" in ('approval', 'shipment', 'delivery'));`);
  }
}
