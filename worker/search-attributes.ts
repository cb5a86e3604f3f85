import type { NativeConnection } from '@temporalio/worker';
import { ORDER_AWAITING_KEY, ORDER_STATUS_KEY } from '../workflows/order.definitions';

const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

/**
 * Registers the product's search attributes on the namespace if they are missing, so a fresh Temporal
 * server (as in docker-compose) needs no manual setup. The dev server registers them at its start.
 */
export async function ensureSearchAttributes(connection: NativeConnection, namespace: string): Promise<void> {
  const wanted = [ORDER_STATUS_KEY.name, ORDER_AWAITING_KEY.name];
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = wanted.filter((name) => !customAttributes?.[name]);
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
  });
}
