import { commandRefusal } from '../config/command-signature';
import type { KeyRing } from '../config/keys';

export interface CommandActivityDeps {
  /** The keys the API signs staff actions with. */
  commandKeys: KeyRing;
}

export interface VerifyCommandInput {
  workflowId: string;
  action: string;
  /** The update's input as the workflow received it, signature included. */
  input: object;
}

/** The worker's side of signed staff actions (workflows/order.signed-commands.ts). */
export function createCommandActivities(deps: CommandActivityDeps) {
  return {
    /**
     * Why the staff action must be refused (no signature, another key, another order, action or input, too
     * old), or null when the API signed exactly this. A local activity that answers and never fails, so the
     * answer, not a retry, is what its marker records.
     */
    verifyCommand({ workflowId, action, input }: VerifyCommandInput): Promise<{ refusal: string | null }> {
      return Promise.resolve({
        refusal: commandRefusal(deps.commandKeys, workflowId, action, input, new Date()),
      });
    },
  };
}
