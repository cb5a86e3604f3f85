/**
 * The worker's check of the API's signature on a staff action, before the order's loop carries it out.
 * Workflow code cannot hold the key, so a local activity checks it in the worker (config/command-signature.ts)
 * and answers why it refuses, if it does; a refused action fails with `Forbidden` and changes nothing.
 * Histories recorded before actions were signed replay as they ran: the check is behind a patch marker.
 */
import { ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';
import { FAILURE, type OrderSnapshot, type RefusalDetails } from '../../domain/order';
import { local } from './proxies';

/** Marks histories whose staff actions are checked against the API's signature. */
export const SIGNED_COMMANDS_PATCH = 'signed-commands';

/**
 * Resolves when the action's signature holds and rejects with `Forbidden` when it does not; null (nothing to
 * wait for) in a history from before signatures, so that it replays exactly as it ran.
 */
export function signatureCheck(
  action: string,
  input: object,
  order: () => OrderSnapshot,
): Promise<void> | null {
  if (!patched(SIGNED_COMMANDS_PATCH)) return null;
  return local.verifyCommand({ workflowId: workflowInfo().workflowId, action, input }).then(({ refusal }) => {
    if (refusal === null) return;
    const { status, awaiting } = order();
    const details: RefusalDetails = { status, awaiting };
    throw ApplicationFailure.create({
      type: FAILURE.forbidden,
      message: `the ${action} was refused: ${refusal}`,
      details: [details],
      nonRetryable: true,
    });
  });
}
