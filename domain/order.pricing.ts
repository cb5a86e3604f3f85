/** Pricing of order lines: pure arithmetic on integer minor units. */
import type { OrderLine } from './order';

export interface PricedProduct {
  id: string;
  sku: string;
  name: string;
  unitPrice: number;
  currency: string;
}

export interface RequestedLine {
  sku: string;
  quantity: number;
}

export type PricingResult =
  | { ok: true; lines: OrderLine[]; total: number; currency: string }
  | { ok: false; field: string; problem: string };

/**
 * Prices each requested line from the catalogue. Refuses, naming the field, an unknown SKU, a SKU listed
 * twice, products in different currencies, and totals beyond exact integer arithmetic.
 */
export function priceLines(
  requested: RequestedLine[],
  catalogue: ReadonlyMap<string, PricedProduct>,
): PricingResult {
  const lines: OrderLine[] = [];
  const seen = new Map<string, number>();
  let currency: string | null = null;
  let total = 0;
  for (const [index, { sku, quantity }] of requested.entries()) {
    const field = `lines.${index}.sku`;
    const product = catalogue.get(sku);
    if (!product) return { ok: false, field, problem: `names an unknown product ${JSON.stringify(sku)}` };
    const earlier = seen.get(sku);
    if (earlier !== undefined) {
      return {
        ok: false,
        field,
        problem: `repeats ${sku} from lines.${earlier}; put the whole quantity on one line`,
      };
    }
    seen.set(sku, index);
    currency ??= product.currency;
    if (product.currency !== currency) {
      return {
        ok: false,
        field,
        problem: `is priced in ${product.currency} but the order is in ${currency}`,
      };
    }
    const lineTotal = product.unitPrice * quantity;
    total += lineTotal;
    if (!Number.isSafeInteger(total))
      return { ok: false, field: 'lines', problem: 'add up to more than can be charged' };
    lines.push({
      productId: product.id,
      sku,
      name: product.name,
      quantity,
      unitPrice: product.unitPrice,
      lineTotal,
    });
  }
  if (currency === null) return { ok: false, field: 'lines', problem: 'must contain at least one line' };
  return { ok: true, lines, total, currency };
}
