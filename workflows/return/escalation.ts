/**
 * Escalation reminders for a return (stage `return`, issue 25): while a return waits for approval, for its
 * units or for its refund, the managers' policy for returns reminds the people it names, level by level, as
 * an order's waits do; the return's assignee hears of it instead of the other members of their roles.
 * Deterministic: durable timers from the moment the wait began (the return's last change), re-timed when a
 * changed policy arrives.
 */
import { condition, setHandler } from '@temporalio/workflow';
import type { EscalationPlan } from '../../domain/escalation';
import { dueReminders, levelKey, nextDue, type Fired } from '../../domain/escalation.rules';
import type { ReturnStatus } from '../../domain/return';
import { RETURN_WAITS, type ReturnWaitStage } from '../../domain/waiting';
import { escalationPolicyChangedSignal } from '../escalation.definitions';
import { local } from '../order/proxies';
import type { ReturnLifecycle } from './lifecycle';

/** Marks returns whose waits are watched by the escalation policy of stage `return`. */
export const RETURN_ESCALATION_PATCH = 'return-escalation';

/**
 * The wait of a return that a person ends, by the return's status (`RETURN_WAITS`, as tasks and the waiting
 * report name them). Returns started before they did one thing at a time are not reminded of their refund.
 */
function watchedWait(life: ReturnLifecycle): ReturnWaitStage | undefined {
  const wait = (RETURN_WAITS as Partial<Record<ReturnStatus, ReturnWaitStage>>)[life.snapshot.status];
  return wait === 'refund' && !life.oneAtATime ? undefined : wait;
}

/** Watches each wait of the return until it no longer waits for a person (received, or final). */
export async function watchReturnWaits(life: ReturnLifecycle): Promise<void> {
  const policy: { signalled: EscalationPlan | null; changes: number } = { signalled: null, changes: 0 };
  setHandler(escalationPolicyChangedSignal, (plan) => {
    if (plan.stage !== 'return' || (policy.signalled?.version ?? -1) >= plan.version) return;
    policy.signalled = plan;
    policy.changes++;
  });
  for (;;) {
    const wait = watchedWait(life);
    if (!wait) return;
    const { version } = life.snapshot;
    const since = Date.parse(life.snapshot.updatedAt);
    const loaded = (await life.outside(() => local.escalationPlan({ stage: 'return' })))!;
    const fired: Fired = {};
    // A new wait starts afresh; what fired in it stays fired when a changed policy arrives.
    while (life.snapshot.version === version) {
      const newer = policy.signalled;
      const plan = newer && newer.version > loaded.version ? newer : loaded;
      const seen = policy.changes;
      const moved = () => life.snapshot.version !== version || policy.changes !== seen;
      const next = nextDue(plan, since, fired);
      if (next === null) {
        await condition(moved);
        continue;
      }
      if (await condition(moved, Math.max(1, next - Date.now()))) continue;
      for (const { level, count } of dueReminders(plan, since, fired, Date.now())) {
        const planLevel = plan.levels[level]!;
        fired[levelKey(planLevel)] = count;
        // Waits for a staff action running now; not sent when that action ended the wait.
        await life.outside(
          () =>
            local.notifyReturnEscalated({
              snapshot: life.snapshot,
              stage: wait,
              notify: planLevel.notify,
              occurrence: `${wait}@${new Date(since).toISOString()}:${levelKey(planLevel)}:${count}`,
              waitedMs: Date.now() - since,
            }),
          () => life.snapshot.version === version,
        );
      }
    }
  }
}
