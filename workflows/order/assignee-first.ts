/**
 * Escalation reminders go to the order's assignee first: when the wait's first reminder falls due and someone
 * holds the order, that person (or their delegate while a delegation is in force) alone is reminded, and the
 * policy's levels follow, each one first-level interval later. The workflow does not know who holds the order
 * (the assignment is a row apart), so the notification activity looks and answers whom it reached.
 */
import { patched } from '@temporalio/workflow';
import type { OrderSnapshot } from '../../domain/order';
import type { EscalationWatch } from '../escalation.watch';
import { local } from './proxies';
import type { OrderRecord } from './record';

/** Marks orders whose first reminder of a wait goes to the assignee before the policy's levels. */
export const ASSIGNEE_FIRST_PATCH = 'escalation-assignee-first';

/** Reminds the assignee when it is their turn; nothing when it is not, or the order began before this. */
export async function remindAssigneeFirst(
  record: OrderRecord,
  watch: EscalationWatch,
  order: OrderSnapshot,
  now: number,
): Promise<void> {
  const turn = watch.assigneeTurn(order, now);
  if (!turn || !patched(ASSIGNEE_FIRST_PATCH)) return;
  const result = await record.step('notifyOrder', () =>
    local.notifyOrder({ kind: 'order.escalated', order, ...turn, toHolder: true }),
  );
  // A notification that cannot be planned is shown as the order's problem; the policy's levels go on as if
  // nobody held the order, rather than waiting for a reminder that was not sent.
  watch.assigneeReminded((result?.notice.notify?.length ?? 0) > 0);
}
