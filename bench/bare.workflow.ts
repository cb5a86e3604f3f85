import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './bare.activities';
import {
  bareApproveUpdate,
  bareCompleteUpdate,
  bareCreatedUpdate,
  bareShipUpdate,
  type BareStatus,
} from './bare.definitions';

const { reserve, charge, fulfil, archive, notify } = proxyActivities<typeof activities>({
  startToCloseTimeout: '30 seconds',
});

/** The baseline order: eight no-op activities and three updates, each answered after its side effects. */
export async function bareOrderWorkflow(): Promise<BareStatus> {
  let status: BareStatus = 'created';
  let created = false;
  setHandler(bareCreatedUpdate, async () => {
    await condition(() => created);
    return status;
  });
  setHandler(bareApproveUpdate, async () => {
    await reserve();
    await charge();
    status = 'processing';
    await notify(status);
    return status;
  });
  setHandler(bareShipUpdate, async () => {
    await fulfil();
    status = 'shipped';
    await notify(status);
    return status;
  });
  setHandler(bareCompleteUpdate, async () => {
    status = 'completed';
    await notify(status);
    return status;
  });
  await notify(status);
  created = true;
  await condition(() => status === 'completed');
  await archive();
  // The last update is answered before the workflow ends, as the product's is.
  await condition(allHandlersFinished);
  return status;
}
