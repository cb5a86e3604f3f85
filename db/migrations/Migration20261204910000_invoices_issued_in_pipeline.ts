import { Migration } from '@mikro-orm/migrations';

/**
 * Invoice numbers are issued as an order moves into processing, no longer by the first request for the
 * invoice (issue 23): an order that was processing or later before, or cancelled after part of it shipped,
 * and whose invoice nobody had asked for yet, gets its number here, in the order the orders were created,
 * continuing this year's gap-free sequence, with the seller details in force now. Reading an invoice never
 * writes any more, so without this such an order's invoice would answer 409.
 */
export const ISSUE_MISSING_INVOICES = `
  with pending as (
    select o.id, row_number() over (order by o.created_at, o.id) as n
      from orders o
     where (o.status in ('processing', 'shipped', 'completed')
            or jsonb_array_length(coalesce(o.snapshot -> 'shipments', '[]'::jsonb)) > 0)
       and not exists (select 1 from invoices i where i.order_id = o.id)),
  counter as (
    update invoice_counters c set last = c.last + (select count(*) from pending)
     where c.year = extract(year from now() at time zone 'UTC')::int
    returning c.year, c.last - (select count(*) from pending) as base),
  seller as (
    select jsonb_build_object('name', name, 'address', address, 'taxId', tax_id, 'phone', phone,
             'email', email, 'taxRateBp', tax_rate_bp) as frozen, tax_rate_bp
      from seller_settings where id = 1)
  insert into invoices (order_id, number, issued_at, seller, tax_rate_bp)
  select p.id,
         'INV-' || c.year || '-' || lpad((c.base + p.n)::text, greatest(6, length((c.base + p.n)::text)), '0'),
         now(), s.frozen, s.tax_rate_bp
    from pending p cross join counter c cross join seller s`;

export class Migration20261204910000_invoices_issued_in_pipeline extends Migration {
  override up(): void {
    this.addSql(`insert into invoice_counters (year, last)
      values (extract(year from now() at time zone 'UTC')::int, 0) on conflict do nothing;`);
    this.addSql(`${ISSUE_MISSING_INVOICES};`);
  }

  override down(): void {
    // Numbers once issued stay issued: an invoice is never taken back.
  }
}
