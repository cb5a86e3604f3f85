import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type * as activities from '../../../activities';
import type { EscalationPlan, EscalationStage } from '../../../domain/escalation';
import type {
  Actor,
  ApproveInput,
  OrderInput,
  OrderSnapshot,
  PermanentFailureKind,
  ReasonInput,
  RefusalDetails,
} from '../../../domain/order';
import {
  ORDER_AWAITING_KEY,
  ORDER_STATUS_KEY,
  approveUpdate,
  cancelUpdate,
  completeUpdate,
  editUpdate,
  escalationPolicyChangedSignal,
  orderQuery,
  orderWorkflowId,
  recordedUpdate,
  rejectUpdate,
  retryPaymentUpdate,
  shipUpdate,
  stockChangedSignal,
} from './definitions';
import {
  FAILURE,
  PERMANENT_FAILURES,
  SYSTEM_ACTOR,
  awaitingFor,
  dueReminders,
  editNeedsApproval,
  initialSnapshot,
  isAwaitingApproval,
  isFinal,
  levelKey,
  mayApprove,
  nextDue,
  refusalOf,
  requiredApproval,
  stageOf,
  withChanges,
  type Fired,
  type OrderAction,
} from './rules';

type Activities = ReturnType<typeof activities.createActivities>;

const {
  mirrorOrder,
  reserveStock,
  adjustReservation,
  releaseStock,
  fulfilStock,
  chargePayment,
  refundPayment,
  archiveHistory,
  archiveOrder,
  notifyOrder,
  escalationPlan,
} = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** How often an order waiting for stock looks again even without a signal (a lost signal must not strand it). */
const STOCK_RECHECK_MS = 60_000;

/** How long a cancelled or rejected order waits before trying again to return stock or money that failed. */
const COMPENSATION_RETRY = '1 hour';

const PERMANENT_KINDS: readonly string[] = Object.values(PERMANENT_FAILURES);

/** The non-retryable failure behind an activity's failure, or null when it is anything else. */
function permanentFailure(error: unknown): ApplicationFailure | null {
  if (!(error instanceof ActivityFailure)) return null;
  const cause = error.cause;
  return cause instanceof ApplicationFailure && PERMANENT_KINDS.includes(cause.type ?? '') ? cause : null;
}

/** The watched wait the order is in: the plan it follows and how many reminders of each level have fired. */
interface Watch {
  stage: EscalationStage;
  since: number;
  plan: EscalationPlan;
  fired: Fired;
}

/** Why a staff action was refused because one of its steps failed for good. */
function stepFailedMessage(action: string): string {
  return `the ${action} could not be carried out because a step failed; the order shows the problem and the managers have been told`;
}

function refuse(type: string, message: string, order: OrderSnapshot): never {
  const details: RefusalDetails = { status: order.status, awaiting: order.awaiting };
  throw ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });
}

/** What today's code gives the frozen workflow to run with. */
export interface V1Options {
  /**
   * The worker's check of a staff action's signature (today's `order/signed-commands.ts`, added after the
   * freeze): resolves when it holds, rejects with `Forbidden` when not, null when there is nothing to wait for
   * (a history recorded before the check, which replays its actions unchecked). Without it, as deployed then,
   * actions are not checked.
   */
  checkSignature?: (action: string, input: object, order: () => OrderSnapshot) => Promise<void> | null;
}

/**
 * The order workflow as it ran before the lean rewrite (every step a remote activity, the SQL mirror its own
 * activity after each change). Frozen, with its own copies of the rules and names it runs by (`rules.ts`,
 * `definitions.ts`): orders started by it replay and finish on it, chosen by `orderWorkflow` when their
 * history has no `lean-workflow` marker. Never change what it does (the one addition since, the check of
 * staff actions' signatures that today's code hands it, records nothing in histories from before it); delete
 * it (and this folder) once `npm run legacy:open` says no order started by it is open.
 *
 * Updates change the state synchronously and answer once the order has settled (its next wait reached and
 * mirrored); the main loop does the work between waits: reserve stock, take payment, and on cancellation
 * or rejection release and refund. A lock keeps the loop's activities and the handlers' from interleaving.
 */
export async function orderWorkflowV1(
  input: OrderInput,
  { checkSignature }: V1Options = {},
): Promise<OrderSnapshot> {
  const now = () => new Date().toISOString();
  const id = orderWorkflowId(input.orderId);
  let order = initialSnapshot(input, now());
  /** The order as first written to PostgreSQL: what its creator is answered with. */
  let recorded: OrderSnapshot | null = null;
  /** Bumped by every handler change; the main loop wakes when it moves. */
  let generation = 0;
  /** True while the main loop waits with nothing left to do. */
  let idle = false;
  let locked = false;
  let stockChanged = false;
  let paymentRetryRequested = false;
  let charges = 0;
  let refunds = 0;
  let watch: Watch | null = null;
  /** The newest plan signalled for each stage, in case it arrives while the order loads its plan. */
  const signalled: Partial<Record<EscalationStage, EscalationPlan>> = {};
  /** Bumped when a changed plan reaches the current wait; the main loop wakes to re-time its reminders. */
  let planChanges = 0;

  /** Replaces the state, publishes it to visibility and mirrors it to PostgreSQL. */
  const commit = async (next: OrderSnapshot): Promise<void> => {
    const previous = order;
    order = next;
    // A new wait (even of the same stage, after another in between) starts with a fresh watch.
    if (stageOf(previous.awaiting) !== stageOf(next.awaiting)) watch = null;
    upsertSearchAttributes([
      { key: ORDER_STATUS_KEY, value: next.status },
      { key: ORDER_AWAITING_KEY, value: next.awaiting ?? 'none' },
    ]);
    await step('mirrorOrder', () => mirrorOrder(order));
    const created = next.version === 1;
    // Added after the first orders were recorded: histories without the marker replay without notices.
    if ((created || previous.status !== next.status) && patched('notifications')) {
      await step('notifyOrder', () =>
        notifyOrder({ kind: created ? 'order.created' : `order.${next.status}`, order: next }),
      );
    }
  };
  /**
   * Runs one activity. A failure that retrying cannot fix (a closed set of kinds, raised non-retryable by
   * the worker) does not fail or freeze the order: it becomes the order's `problem`, shown on the order, in
   * its history and in the managers' inbox, and the step answers null. The problem clears when the same step
   * passes later. Outages are retried by Temporal and never get here.
   */
  async function step<T>(name: string, run: () => Promise<T>): Promise<T | null> {
    try {
      const result = await run();
      if (order.problem?.step === name) order = { ...order, problem: null };
      return result;
    } catch (error) {
      const failure = permanentFailure(error);
      if (!failure) throw error;
      await reportProblem(name, failure);
      return null;
    }
  }
  /** Shows a failed step on the order and tells the managers; a failure while doing so is only logged. */
  const reportProblem = async (name: string, failure: ApplicationFailure): Promise<void> => {
    const problem = {
      step: name,
      kind: failure.type as PermanentFailureKind,
      message: failure.message,
      at: now(),
    };
    order = withChanges(order, now(), { problem });
    const tolerate = (error: unknown) => {
      if (!permanentFailure(error)) throw error;
    };
    await mirrorOrder(order).catch(tolerate);
    if (name === 'notifyOrder') return;
    await notifyOrder({
      kind: 'order.problem',
      order,
      occurrence: `problem:${name}:${order.version}`,
      notify: ['manager', 'admin'],
    }).catch(tolerate);
  };
  const change = (changes: Parameters<typeof withChanges>[2]) => commit(withChanges(order, now(), changes));
  const withLock = async <T>(work: () => Promise<T>): Promise<T> => {
    await condition(() => !locked);
    locked = true;
    try {
      return await work();
    } finally {
      locked = false;
    }
  };
  /** Wakes the main loop and answers once it has settled again. */
  const settle = async (): Promise<OrderSnapshot> => {
    generation++;
    idle = false;
    await condition(() => idle);
    return order;
  };
  const guard = (action: OrderAction) => {
    const refusal = refusalOf(order, action);
    if (refusal !== null) refuse(FAILURE.invalidTransition, refusal, order);
  };
  /**
   * The check of the action's signature, or null when there is nothing to wait for: the handler must not await
   * at all then, so that a history from before the check replays as it ran.
   */
  const signed = (action: OrderAction, input: object): Promise<void> | null =>
    checkSignature ? checkSignature(action, input, () => order) : null;
  const approvalLevel = () => requiredApproval(order.total, order.currency, order.approvalRule);
  const guardApprover = (actor: Actor, action: 'approve' | 'reject') => {
    guard(action);
    if (!mayApprove(actor, order.awaiting === 'manager_approval' ? 'manager' : 'staff')) {
      refuse(
        FAILURE.forbidden,
        `only a manager may ${action} an order of ${order.total} ${order.currency}`,
        order,
      );
    }
  };
  const approved = (by: Actor, comment: string | null, automatic: boolean, amount = order.total) => ({
    approvals: [
      ...order.approvals,
      { by, comment, at: now(), amount, automatic, ruleVersion: order.approvalRule.version },
    ],
    approvedTotal: Math.max(amount, order.approvedTotal ?? 0),
    status: 'processing' as const,
    awaiting: order.reserved ? ('payment' as const) : ('stock' as const),
  });

  setHandler(orderQuery, () => order);
  setHandler(recordedUpdate, async () => {
    await condition(() => recorded !== null);
    return recorded!;
  });
  setHandler(stockChangedSignal, () => {
    stockChanged = true;
  });
  setHandler(escalationPolicyChangedSignal, (plan) => {
    if ((signalled[plan.stage]?.version ?? -1) < plan.version) signalled[plan.stage] = plan;
    if (watch?.stage === plan.stage && plan.version > watch.plan.version) {
      // The new policy counts from the start of the current wait; what already fired stays fired.
      watch.plan = plan;
      planChanges++;
    }
  });

  /** Starts watching a new wait with the policy in force, or stops when the order no longer waits. */
  const watchWait = async (): Promise<void> => {
    const stage = stageOf(order.awaiting);
    if (stage === null) {
      watch = null;
      return;
    }
    if (watch?.stage === stage) return;
    const since = Date.parse(order.awaitingSince ?? order.updatedAt);
    // Without the policy (a failed step, shown as the order's problem) the order waits without reminders.
    const loaded = (await step('escalationPlan', () => escalationPlan({ stage }))) ?? {
      stage,
      version: -1,
      levels: [],
      calendar: null,
    };
    const newer = signalled[stage];
    watch = { stage, since, plan: newer && newer.version > loaded.version ? newer : loaded, fired: {} };
  };
  /** Milliseconds until the next reminder of the current wait, or null when none will fire. */
  const untilReminder = (): number | null => {
    if (!watch) return null;
    const next = nextDue(watch.plan, watch.since, watch.fired);
    return next === null ? null : Math.max(1, next - Date.now());
  };
  /** Sends every reminder that is due, each level to its own recipients, and records the level reached. */
  const remind = async (): Promise<void> => {
    const current = watch;
    if (!current || stageOf(order.awaiting) !== current.stage) return;
    // The plan as it is now: a changed policy signalled during the sends below applies from the next timer.
    const plan = current.plan;
    const at = Date.now();
    const due = dueReminders(plan, current.since, current.fired, at);
    if (due.length === 0) return;
    const since = new Date(current.since).toISOString();
    for (const { level, count } of due) {
      if (watch !== current) return;
      const planLevel = plan.levels[level]!;
      current.fired[levelKey(planLevel)] = count;
      await step('notifyOrder', () =>
        notifyOrder({
          kind: 'order.escalated',
          order,
          occurrence: `${current.stage}@${since}:${levelKey(planLevel)}:${count}`,
          notify: planLevel.notify,
          waitedMs: at - current.since,
          escalation: {
            stage: current.stage,
            level: level + 1,
            repetition: count,
            policyVersion: plan.version,
          },
        }),
      );
    }
    const reached = Math.max(order.escalation?.level ?? 0, ...due.map((d) => d.level + 1));
    await withLock(async () => {
      if (watch !== current || stageOf(order.awaiting) !== current.stage) return;
      await change({
        escalation: { stage: current.stage, since, level: reached, escalatedAt: new Date(at).toISOString() },
      });
    });
  };

  setHandler(
    approveUpdate,
    async (input) => {
      const { actor, comment } = input;
      const check = signed('approve', input);
      if (check) await check;
      await withLock(() => {
        guardApprover(actor, 'approve');
        return change(approved(actor, comment ?? null, false));
      });
      return settle();
    },
    { validator: ({ actor }: ApproveInput) => guardApprover(actor, 'approve') },
  );
  setHandler(
    rejectUpdate,
    async (input) => {
      const { actor, reason } = input;
      const check = signed('reject', input);
      if (check) await check;
      await withLock(() => {
        guardApprover(actor, 'reject');
        return change({ status: 'rejected', awaiting: null, rejection: { by: actor, reason, at: now() } });
      });
      return settle();
    },
    { validator: ({ actor }: ReasonInput) => guardApprover(actor, 'reject') },
  );
  setHandler(
    editUpdate,
    async (input) => {
      const { actor, lines, total, notes } = input;
      const check = signed('edit', input);
      if (check) await check;
      await withLock(async () => {
        guard('edit');
        const before = order.total;
        const after = total ?? before;
        if (lines && order.reserved) {
          const adjusted = await step('adjustReservation', () =>
            adjustReservation({ orderId: order.orderId, lines }),
          );
          if (!adjusted) refuse(FAILURE.stepFailed, stepFailedMessage('edit'), order);
          if (!adjusted.ok) {
            const detail = adjusted.shortages.map(
              (s) => `${s.sku}: ${s.requested} wanted, ${s.available} available`,
            );
            refuse(FAILURE.insufficientStock, `not enough stock for the edit (${detail.join('; ')})`, order);
          }
        }
        const needsApproval =
          isAwaitingApproval(order) ||
          order.approvedTotal === null ||
          editNeedsApproval(before, after, order.approvedTotal, actor, order.approvalRule);
        const level = requiredApproval(after, order.currency, order.approvalRule);
        const approval = !needsApproval
          ? {}
          : level === 'auto'
            ? approved(SYSTEM_ACTOR, null, true, after)
            : { awaiting: awaitingFor(level) };
        await change({
          ...(lines ? { lines, total: after, stockShortages: [] } : {}),
          ...(notes !== undefined ? { notes } : {}),
          ...approval,
        });
      });
      return settle();
    },
    { validator: (_input) => guard('edit') },
  );
  setHandler(
    retryPaymentUpdate,
    async (input) => {
      const check = signed('retryPayment', input);
      if (check) await check;
      paymentRetryRequested = true;
      return settle();
    },
    { validator: (_input) => guard('retryPayment') },
  );
  setHandler(
    shipUpdate,
    async (input) => {
      const { carrier, trackingNumber } = input;
      const check = signed('ship', input);
      if (check) await check;
      await withLock(async () => {
        guard('ship');
        const fulfilled = await step('fulfilStock', () => fulfilStock({ orderId: order.orderId }));
        if (fulfilled === null) refuse(FAILURE.stepFailed, stepFailedMessage('ship'), order);
        await change({
          status: 'shipped',
          awaiting: 'delivery',
          reserved: false,
          shipment: { carrier, trackingNumber, shippedAt: now() },
        });
      });
      return settle();
    },
    { validator: (_input) => guard('ship') },
  );
  setHandler(
    completeUpdate,
    async (input) => {
      const check = signed('complete', input);
      if (check) await check;
      await withLock(() => {
        guard('complete');
        return change({ status: 'completed', awaiting: null, completedAt: now() });
      });
      return settle();
    },
    { validator: (_input) => guard('complete') },
  );
  setHandler(
    cancelUpdate,
    async (input) => {
      const { actor, reason } = input;
      const check = signed('cancel', input);
      if (check) await check;
      await withLock(() => {
        guard('cancel');
        return change({
          status: 'cancelled',
          awaiting: null,
          cancellation: { by: actor, reason, at: now() },
        });
      });
      return settle();
    },
    { validator: (_input) => guard('cancel') },
  );

  /** Reserves stock, then settles payment; returns what the order waits for afterwards. */
  const advance = async (): Promise<'stock' | 'payment' | 'shipment'> => {
    if (!order.reserved) {
      const reservation = (await step('reserveStock', () =>
        reserveStock({ orderId: order.orderId, lines: order.lines, since: order.createdAt }),
      )) ?? { ok: false as const, shortages: order.stockShortages };
      if (!reservation.ok) {
        if (
          order.awaiting !== 'stock' ||
          JSON.stringify(order.stockShortages) !== JSON.stringify(reservation.shortages)
        ) {
          await change({ awaiting: 'stock', stockShortages: reservation.shortages });
        }
        return 'stock';
      }
      await change({ reserved: true, stockShortages: [], awaiting: 'payment' });
    }
    const held = order.payment?.amount ?? 0;
    const due = order.total - held;
    if (due > 0) {
      if (order.payment?.status === 'failed' && !paymentRetryRequested) return 'payment';
      paymentRetryRequested = false;
      const charge = (await step('chargePayment', () =>
        chargePayment({
          orderId: order.orderId,
          customerId: order.customerId,
          amount: due,
          currency: order.currency,
          idempotencyKey: `${id}:charge:${++charges}`,
        }),
      )) ?? { ok: false as const, reason: 'the payment could not be processed; the managers have been told' };
      if (!charge.ok) {
        await change({
          awaiting: 'payment',
          payment: { status: 'failed', amount: held, lastError: charge.reason },
        });
        return 'payment';
      }
      await change({ payment: { status: 'captured', amount: held + due, lastError: null } });
    } else if (due < 0) {
      const refunded = await step('refundPayment', () =>
        refundPayment({ orderId: order.orderId, amount: -due, idempotencyKey: `${id}:refund:${++refunds}` }),
      );
      if (refunded === null) {
        await change({
          awaiting: 'payment',
          payment: { status: 'failed', amount: held, lastError: 'the refund of the difference failed' },
        });
        return 'payment';
      }
      await change({ payment: { status: 'captured', amount: order.total, lastError: null } });
    }
    if (order.awaiting !== 'shipment') await change({ awaiting: 'shipment' });
    return 'shipment';
  };

  // The row is written by the workflow itself, so no row can exist without its workflow, and a crash
  // anywhere after the start only delays this activity: it is retried until the row exists.
  await commit(order);
  recorded = order;
  if (approvalLevel() === 'auto') await withLock(() => change(approved(SYSTEM_ACTOR, null, true)));

  while (!isFinal(order.status)) {
    const seen = generation;
    let waitingFor: string | null = null;
    if (order.status === 'processing' && !isAwaitingApproval(order)) {
      // Consumed before the attempt, so a signal that arrives during it triggers another one.
      stockChanged = false;
      waitingFor = await withLock(advance);
      if (generation !== seen) continue;
    }
    // Added after the first orders were recorded: histories without the marker wait without reminders.
    if (patched('escalation')) {
      await watchWait();
      if (generation !== seen) continue;
    }
    const seenPlan = planChanges;
    const wake = () =>
      generation !== seen || planChanges !== seenPlan || (waitingFor === 'stock' && stockChanged);
    const timeouts = [waitingFor === 'stock' ? STOCK_RECHECK_MS : null, untilReminder()].filter(
      (ms): ms is number => ms !== null,
    );
    idle = true;
    // A durable timer per wait: cancelled the moment the wait ends (the condition resolves first).
    const woke =
      timeouts.length > 0
        ? await condition(wake, Math.min(...timeouts))
        : await condition(wake).then(() => true);
    idle = false;
    if (!woke) await remind();
  }

  // Compensation for a cancelled or rejected order: each step is idempotent and retried until it succeeds,
  // and the workflow resumes here after a crash, so stock and money are always returned.
  // A step that fails for good is shown as the order's problem and tried again later, never given up.
  while (order.status !== 'completed') {
    const returned = await withLock(async () => {
      // Also drops the order's place in the queue for stock, so it is called even with nothing reserved.
      if ((await step('releaseStock', () => releaseStock({ orderId: order.orderId }))) === null) return false;
      if (order.reserved) await change({ reserved: false });
      const held = order.payment?.amount ?? 0;
      if (held > 0) {
        const refund = () =>
          refundPayment({ orderId: order.orderId, amount: held, idempotencyKey: `${id}:refund:final` });
        if ((await step('refundPayment', refund)) === null) return false;
        await change({ payment: { status: 'refunded', amount: 0, lastError: null } });
      }
      return true;
    });
    if (returned) break;
    await sleep(COMPENSATION_RETRY);
  }
  idle = true;
  await condition(allHandlersFinished);
  // Each archive step was added after orders had been recorded without it: the markers keep those replaying.
  if (patched('archive-order')) await step('archiveOrder', () => archiveOrder({ orderId: order.orderId }));
  else if (patched('archive-history')) await archiveHistory({ orderId: order.orderId });
  return order;
}
