import { Migration } from '@mikro-orm/migrations';

/**
 * Escalation policies per watched wait and the working-hours calendar they may count by. Both take their
 * version from one sequence, so an order can tell which of two plans it was sent is newer.
 */
export class Migration20261126060000_escalation extends Migration {
  override up(): void {
    this.addSql(`create sequence "escalation_version_seq";`);
    this.addSql(`create table "escalation_policies" (
      "stage" text primary key check ("stage" in ('approval', 'shipment', 'delivery')),
      "levels" jsonb not null,
      "business_hours" boolean not null default false,
      "version" bigint not null default nextval('escalation_version_seq'),
      "updated_at" timestamptz not null default now());`);
    this.addSql(`insert into "escalation_policies" ("stage", "levels") values
      ('approval', '[{"after": "PT4H", "notify": ["manager"]}, {"after": "PT8H", "notify": ["admin"], "repeatEvery": "PT4H"}]'),
      ('shipment', '[{"after": "P1D", "notify": ["staff"]}, {"after": "P2D", "notify": ["manager"]}]'),
      ('delivery', '[{"after": "P7D", "notify": ["staff"]}]');`);
    this.addSql(`create table "work_calendar" (
      "id" int primary key check ("id" = 1),
      "time_zone" text not null,
      "hours" jsonb not null,
      "holidays" text[] not null,
      "version" bigint not null default nextval('escalation_version_seq'),
      "updated_at" timestamptz not null default now());`);
    this
      .addSql(`insert into "work_calendar" ("id", "time_zone", "hours", "holidays") values (1, 'Asia/Shanghai',
      '[{"weekday": 1, "start": "09:00", "end": "18:00"}, {"weekday": 2, "start": "09:00", "end": "18:00"},
        {"weekday": 3, "start": "09:00", "end": "18:00"}, {"weekday": 4, "start": "09:00", "end": "18:00"},
        {"weekday": 5, "start": "09:00", "end": "18:00"}]', '{}');`);
    this.addSql(
      `create index "orders_escalated_index" on "orders" ((snapshot->'escalation'->>'stage')) where snapshot->'escalation' is not null and snapshot->'escalation' <> 'null'::jsonb;`,
    );
  }

  override down(): void {
    this.addSql(`drop index if exists "orders_escalated_index";`);
    this.addSql(`drop table if exists "work_calendar";`);
    this.addSql(`drop table if exists "escalation_policies";`);
    this.addSql(`drop sequence if exists "escalation_version_seq";`);
  }
}
