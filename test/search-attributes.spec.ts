import { msToTs } from '@temporalio/common/lib/time';
import { randomUUID } from 'node:crypto';
import { connectNative } from '../ops/temporal-connection';
import { ensureSearchAttributes } from '../worker/search-attributes';
import { testTemporalSettings } from './support/temporal';

describe('search attribute registration', () => {
  it('adds OrderStatus and OrderAwaiting to a namespace that lacks them, and is a no-op the second time', async () => {
    const connection = await connectNative(testTemporalSettings());
    try {
      const namespace = `fresh-${randomUUID().slice(0, 8)}`;
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('1 day'),
      });
      const list = async () =>
        (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
      expect(await list()).not.toHaveProperty('OrderStatus');

      await ensureSearchAttributes(connection, namespace);
      await ensureSearchAttributes(connection, namespace);
      expect(await list()).toMatchObject({ OrderStatus: 2, OrderAwaiting: 2 });
    } finally {
      await connection.close();
    }
  });
});
