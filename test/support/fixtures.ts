import { randomUUID } from 'node:crypto';
import type { ApiClient } from './http';

/** A fresh customer and products with unique SKUs, created through the API. */
export async function seedCatalogue(
  api: ApiClient,
  products: { unitPrice: number; stockOnHand?: number; currency?: string }[] = [{ unitPrice: 12990 }],
): Promise<{ customerId: string; skus: string[] }> {
  const tag = randomUUID().slice(0, 8);
  const customer = await api.post('/api/customers', {
    name: `Customer ${tag}`,
    email: `buyer-${tag}@example.com`,
  });
  if (customer.status !== 201) throw new Error(`seeding a customer failed: ${JSON.stringify(customer.body)}`);
  const skus: string[] = [];
  for (const [index, product] of products.entries()) {
    const sku = `SKU-${tag}-${index}`;
    const created = await api.post('/api/products', {
      sku,
      name: `Product ${index}`,
      unitPrice: product.unitPrice,
      currency: product.currency ?? 'CNY',
      stockOnHand: product.stockOnHand ?? 100,
    });
    if (created.status !== 201) throw new Error(`seeding a product failed: ${JSON.stringify(created.body)}`);
    skus.push(sku);
  }
  return { customerId: customer.body.id as string, skus };
}

/** Polls until the check passes or the time is up; returns the last value. */
export async function eventually<T>(
  check: () => Promise<T>,
  pass: (value: T) => boolean,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await check();
  while (!pass(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await check();
  }
  return value;
}
