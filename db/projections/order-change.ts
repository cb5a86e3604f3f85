/** One mirror write of an order, as the projections fed by it see it (inside the write's transaction). */
import type { OrderSnapshot, OrderStatus } from '../../domain/order';

/** The order's row as it was before the write, or null for a new order. */
export interface PreviousRow {
  status: OrderStatus;
  awaiting: string | null;
  customer_id: string;
  currency: string;
  captured: string;
  refunded: string;
  items: number;
  created_at: Date;
  /** When its wait began (epoch milliseconds). */
  sinceMs: number | null;
  /** Whether any part of it had left the warehouse (`hasShipped` of its snapshot). */
  shipped: boolean;
}

export interface OrderChange {
  previous: PreviousRow | null;
  /** The order as written. */
  order: OrderSnapshot;
  /** Its lines as they were before the write (the write replaces them when they changed). */
  oldLines: { product_id: string; quantity: number; line_total: number }[];
  /** Money taken and given back, from the payment ledger. */
  ledger: { captured: number; refunded: number };
  /** Units ordered. */
  items: number;
}

/** Whether the write moved the order to another stage (status or wait). */
export const movedStage = ({ previous, order }: OrderChange): boolean =>
  previous?.status !== order.status || previous.awaiting !== order.awaiting;
