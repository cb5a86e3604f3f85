import { Migration } from '@mikro-orm/migrations';

/**
 * The order events machine clients receive (CloudEvents), kept in the order they were recorded, so that a
 * system that polls (`GET /api/integration/events?after=`) reads the same stream the webhooks get. `position`
 * is the order: writers take a transaction-level advisory lock before they insert, so positions are
 * committed in increasing order and a reader never sees a later one before an earlier one (it would then
 * skip the earlier one for good). `event` is the envelope exactly as the webhooks carry it.
 */
export class Migration20261205060000_integration_events extends Migration {
  override up(): void {
    this.addSql(`create table "integration_events" (
      "position" bigint generated always as identity primary key,
      "id" uuid not null unique,
      "dedup_key" text not null unique,
      "type" text not null,
      "order_id" uuid not null,
      "event" jsonb not null,
      "recorded_at" timestamptz not null default now());`);
  }

  override down(): void {
    this.addSql(`drop table if exists "integration_events";`);
  }
}
