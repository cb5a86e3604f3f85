import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../../domain/order';
import { AuditRepository } from './audit.repository';
import { sqlOf } from './sql';

/** Who sells: printed on invoices, packing slips and labels. Tax rate in basis points (1300 = 13 %). */
export interface SellerSetting {
  name: string;
  address: string;
  taxId: string;
  phone: string | null;
  email: string | null;
  taxRateBp: number;
}

export interface StoredSeller extends SellerSetting {
  updatedAt: string;
}

export interface Invoice {
  orderId: string;
  number: string;
  issuedAt: string;
  /** The seller and tax rate as they were when the invoice was issued; later changes do not alter it. */
  seller: SellerSetting;
  taxRateBp: number;
}

interface SellerRow {
  name: string;
  address: string;
  tax_id: string;
  phone: string | null;
  email: string | null;
  tax_rate_bp: number;
  updated_at: Date;
}

interface InvoiceRow {
  order_id: string;
  number: string;
  issued_at: Date;
  seller: SellerSetting;
  tax_rate_bp: number;
}

const toSeller = (row: SellerRow): StoredSeller => ({
  name: row.name,
  address: row.address,
  taxId: row.tax_id,
  phone: row.phone,
  email: row.email,
  taxRateBp: row.tax_rate_bp,
  updatedAt: new Date(row.updated_at).toISOString(),
});

const toInvoice = (row: InvoiceRow): Invoice => ({
  orderId: row.order_id,
  number: row.number,
  issuedAt: new Date(row.issued_at).toISOString(),
  seller: row.seller,
  taxRateBp: row.tax_rate_bp,
});

/** Seller settings and invoices with their gap-free numbers. */
export class DocumentRepository {
  constructor(private readonly em: EntityManager) {}

  async seller(): Promise<StoredSeller> {
    const [row] = await sqlOf(this.em)<SellerRow[]>(`select * from seller_settings where id = 1`);
    if (!row) throw new Error('seller_settings is empty: the migrations seed it');
    return toSeller(row);
  }

  /** Replaces the seller settings and records before and after, in one transaction. */
  async setSeller(seller: SellerSetting, actor: Actor): Promise<StoredSeller> {
    return this.em.transactional(async (em) => {
      const [before] = await sqlOf(em)<SellerRow[]>(`select * from seller_settings where id = 1 for update`);
      const [after] = await sqlOf(em)<SellerRow[]>(
        `update seller_settings set name = ?, address = ?, tax_id = ?, phone = ?, email = ?, tax_rate_bp = ?,
           updated_at = now() where id = 1 returning *`,
        [seller.name, seller.address, seller.taxId, seller.phone, seller.email, seller.taxRateBp],
      );
      const stored = toSeller(after!);
      await new AuditRepository(em).record({
        actor,
        action: 'settings.seller_changed',
        entity: 'settings',
        entityId: 'seller',
        before: before ? toSeller(before) : null,
        after: stored,
      });
      return stored;
    });
  }

  /**
   * Issues the order's invoice unless it has one, inside the caller's transaction: the one that records the
   * order's move into an invoiceable status (`OrderRepository.mirror`). The year's counter row stays locked
   * until that transaction ends, so numbers have no gaps and no duplicates, and an order gets exactly one.
   * Nothing else issues numbers: reading an invoice never writes (issue 23).
   */
  async issueInvoice(orderId: string, at: Date): Promise<Invoice> {
    const sql = sqlOf(this.em);
    const [existing] = await sql<InvoiceRow[]>(`select * from invoices where order_id = ?`, [orderId]);
    if (existing) return toInvoice(existing);
    const year = at.getUTCFullYear();
    await sql(`insert into invoice_counters (year, last) values (?, 0) on conflict do nothing`, [year]);
    const [counter] = await sql<{ last: number }[]>(
      `select last from invoice_counters where year = ? for update`,
      [year],
    );
    // The order's row is locked by the caller, so no other transaction issues its invoice meanwhile.
    const next = counter!.last + 1;
    await sql(`update invoice_counters set last = ? where year = ?`, [next, year]);
    const seller = await this.seller();
    const { updatedAt: _updatedAt, ...frozen } = seller;
    const [row] = await sql<InvoiceRow[]>(
      `insert into invoices (order_id, number, issued_at, seller, tax_rate_bp) values (?, ?, ?, ?::jsonb, ?)
       returning *`,
      [orderId, `INV-${year}-${String(next).padStart(6, '0')}`, at, JSON.stringify(frozen), seller.taxRateBp],
    );
    return toInvoice(row!);
  }

  /** The order's invoice if one was issued. */
  async findInvoice(orderId: string): Promise<Invoice | null> {
    const [row] = await sqlOf(this.em)<InvoiceRow[]>(`select * from invoices where order_id = ?`, [orderId]);
    return row ? toInvoice(row) : null;
  }
}
