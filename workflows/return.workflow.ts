import type { UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, condition, patched, setHandler } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type ActorInput } from '../domain/order';
import { isFinalReturn, type ReturnAction, type ReturnSnapshot } from '../domain/return';
import { local } from './order/proxies';
import { signatureCheck } from './order/signed-commands';
import {
  approveReturnUpdate,
  closeReturnUpdate,
  receiveReturnUpdate,
  refundReturnUpdate,
  rejectReturnUpdate,
  returnQuery,
  type ReceiveInput,
  type RefundReturnInput,
  type ReturnStartOptions,
  type ReturnReasonInput,
} from './return.definitions';
import { RETURN_ESCALATION_PATCH, watchReturnWaits } from './return/escalation';
import { RETURN_ONE_AT_A_TIME_PATCH, ReturnLifecycle } from './return/lifecycle';

/** Marks returns that add themselves, once ended, to their order's archived record. */
export const RETURN_ARCHIVE_PATCH = 'return-archive';

/** Marks returns that tell of their request before any staff action their first task brings. */
export const RETURN_REQUEST_TOLD_FIRST_PATCH = 'return-request-told-first';

/** How long a refunded return stays open for a person to close it before the system does. */
const CLOSES_AFTER = '30 days';

/**
 * One return of an order's units, from its request to `closed` or `rejected` (issue 25). The API writes the
 * requested return and starts this workflow in one transaction; every later change is a staff action (an
 * update signed by the API and checked by the worker, like the order's), carried out one at a time by
 * `ReturnLifecycle` (`return/lifecycle.ts`).
 */
export async function returnWorkflow(
  input: ReturnSnapshot,
  options: ReturnStartOptions = {},
): Promise<ReturnSnapshot> {
  const life = new ReturnLifecycle(input, patched(RETURN_ONE_AT_A_TIME_PATCH));
  setHandler(returnQuery, () => life.snapshot);

  // The request itself was written by the API: the customer hears of it here, first. A staff action that
  // reached the return before its first task (its worker busy or down) runs as soon as its handler is set,
  // so the notice is queued before the handlers are; told after them, it told of the approval twice (the
  // second deduplicated) and never of the request. Returns started before replay as they ran.
  const toldFirst = patched(RETURN_REQUEST_TOLD_FIRST_PATCH) ? life.outside(() => life.tell()) : null;

  const action = <Input extends ActorInput>(
    update: UpdateDefinition<ReturnSnapshot, [Input]>,
    name: ReturnAction,
    run: (input: Input) => Promise<void>,
    validate: (input: Input) => void = () => life.checkState(name),
  ) =>
    setHandler(
      update,
      async (input: Input) => {
        const verify = () =>
          signatureCheck(update.name, input, () => ({ ...life.snapshot, awaiting: null }) as never);
        if (life.oneAtATime) return life.inTurn(name, () => run(input), verify);
        await verify();
        return life.inTurn(name, () => run(input));
      },
      { validator: validate },
    );

  action(approveReturnUpdate, 'approve', ({ actor }) => life.approve(actor));
  action<ReturnReasonInput>(rejectReturnUpdate, 'reject', (input) => life.reject(input));
  action<ReceiveInput>(
    receiveReturnUpdate,
    'receive',
    (input) => life.receive(input),
    (input) => life.checkReceipt(input),
  );
  action<RefundReturnInput>(refundReturnUpdate, 'refund', (input) => life.refund(input));
  action(closeReturnUpdate, 'close', ({ actor }) => life.close(actor));

  await (toldFirst ?? life.outside(() => life.tell()));

  // Within the manager's threshold for orders (like an order's), approved at once, in turn with staff actions.
  if (options.autoApproval) {
    const { ruleVersion, upTo } = options.autoApproval;
    await life
      .inTurn('approve', () =>
        life.approve(SYSTEM_ACTOR, { rule: { version: ruleVersion, autoApproveBelow: upTo } }),
      )
      .catch(() => undefined);
  }

  // Reminders while the return waits for a person (escalation stage `return`); returns started before
  // this was built are not watched.
  const watching = patched(RETURN_ESCALATION_PATCH) ? watchReturnWaits(life) : Promise.resolve();

  const settled = () => ['refunded', 'exchanged'].includes(life.snapshot.status);
  await condition(() => isFinalReturn(life.snapshot.status) || settled());
  await watching;
  if (!isFinalReturn(life.snapshot.status)) {
    const closed = await condition(() => isFinalReturn(life.snapshot.status), CLOSES_AFTER);
    if (!closed) await life.inTurn('close', () => life.close(SYSTEM_ACTOR)).catch(() => undefined);
  }
  await condition(allHandlersFinished);
  // The order's archived record gets the return as it ended (returns started before this was built do not).
  if (patched(RETURN_ARCHIVE_PATCH)) {
    const { returnId, orderId } = life.snapshot;
    await life.outside(() => local.startReturnArchive({ returnId, orderId }));
  }
  return life.snapshot;
}
