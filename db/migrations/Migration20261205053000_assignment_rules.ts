import { Migration } from '@mikro-orm/migrations';

/**
 * Assignment rules a manager sets (one row, the list in force) and the turns of each role's round-robin: a
 * counter per role, raised by one statement at each order it assigns, so concurrent creations take
 * consecutive turns under the row's lock instead of sharing a count kept in some process's memory.
 */
export class Migration20261205053000_assignment_rules extends Migration {
  override up(): void {
    this.addSql(`create table "assignment_rules" (
      "id" int primary key check ("id" = 1),
      "rules" jsonb not null,
      "updated_at" timestamptz not null default now());`);
    this.addSql(`insert into "assignment_rules" ("id", "rules") values (1, '[]'::jsonb);`);
    this.addSql(`create table "assignment_turns" (
      "role" text primary key,
      "turns" bigint not null);`);
  }

  override down(): void {
    this.addSql(`drop table if exists "assignment_turns";`);
    this.addSql(`drop table if exists "assignment_rules";`);
  }
}
