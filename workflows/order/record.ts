/**
 * The order as its workflow holds it, and the one way it changes. Every change is versioned and recorded in
 * PostgreSQL (with the escalation policy of a wait it enters), a new status is told to whoever hears of it,
 * and each step the order takes in the outside world runs through `step`, so a failure that retrying cannot
 * fix becomes the order's problem instead of failing or freezing the workflow.
 */
import { ApplicationFailure, patched, upsertSearchAttributes } from '@temporalio/workflow';
import type { FoundBeyond, OrderSnapshot, PermanentFailureKind, RefusalDetails } from '../../domain/order';
import type { NotificationKind } from '../../domain/notifications';
import { withChanges } from '../../domain/order.state';
import { withFoundShipments } from '../../domain/shipment.rules';
import type { EscalationStage } from '../../domain/escalation';
import type { EscalationWatch } from '../escalation.watch';
import { ORDER_AWAITING_KEY, ORDER_STATUS_KEY } from '../order.definitions';
import { local, permanentFailure } from './proxies';

/** Marks orders whose problem, once its step passes, is recorded as cleared at once (not at their next change). */
export const RECORD_RESOLVED_PROBLEM_PATCH = 'record-resolved-problem';

/**
 * Marks orders that record a change of status and tell of it in one local activity (`recordOrderAndNotify`)
 * instead of two in a row; orders that began before keep the two steps until their next change of status.
 */
export const RECORD_AND_NOTIFY_PATCH = 'record-and-notify';

export type OrderChanges = Parameters<typeof withChanges>[2];

/** Workflow time, as ISO 8601. */
export const now = (): string => new Date().toISOString();

/** Refuses a staff action: the update fails with this type, naming the order's status and wait (and field). */
export function refuse(type: string, message: string, order: OrderSnapshot, field?: string): never {
  const details: RefusalDetails = {
    status: order.status,
    awaiting: order.awaiting,
    ...(field ? { field } : {}),
  };
  throw ApplicationFailure.create({ type, message, details: [details], nonRetryable: true });
}

/** Why a staff action was refused because one of its steps failed for good. */
export const stepFailedMessage = (action: string): string =>
  `the ${action} could not be carried out because a step failed; the order shows the problem and the managers have been told`;

export class OrderRecord {
  /** What visibility shows of the order, so it is upserted once per change, not once per step. */
  private published: { status: string; awaiting: string };

  constructor(
    private current: OrderSnapshot,
    private readonly watch: EscalationWatch,
    /** Whether the order continues an earlier run (its visibility attributes are already set). */
    continued: boolean,
  ) {
    this.published = continued
      ? { status: current.status, awaiting: current.awaiting ?? 'none' }
      : // The API sets these attributes when it starts the workflow.
        { status: 'created', awaiting: 'approval' };
  }

  get order(): OrderSnapshot {
    return this.current;
  }

  /** Writes a new order's first row; retried until it exists, so no row exists without its workflow. */
  async recordNew(): Promise<void> {
    await this.record(this.current, this.current);
  }

  /** Moves the order: records it (with the escalation policy of a wait it enters) and tells whoever hears of it. */
  async change(changes: OrderChanges): Promise<void> {
    const previous = this.current;
    this.current = withChanges(previous, now(), changes);
    await this.record(previous, this.current);
  }

  /**
   * Runs one activity for the order. A failure that retrying cannot fix (a closed set of kinds, raised
   * non-retryable by the worker) neither fails nor freezes the order: it becomes the order's `problem`, shown
   * on the order, in its history and in the managers' inbox, and the step answers null. The problem clears
   * when the same step passes later. Outages are retried by Temporal and never get here.
   */
  async step<T>(name: string, run: () => Promise<T>): Promise<T | null> {
    try {
      const result = await run();
      if (this.current.problem?.step === name) await this.resolve();
      return result;
    } catch (error) {
      const failure = permanentFailure(error);
      if (!failure) throw error;
      await this.showProblem(name, failure);
      return null;
    }
  }

  /** Tells of something that happened without a change of status, once per occurrence. */
  async announce(kind: NotificationKind, occurrence: string): Promise<void> {
    await this.step('notifyOrder', () => local.notifyOrder({ kind, order: this.current, occurrence }));
  }

  /** Publishes status and wait to visibility when they changed: one upsert per settled step. */
  publish(): void {
    const status = this.current.status;
    const awaiting = this.current.awaiting ?? 'none';
    if (status === this.published.status && awaiting === this.published.awaiting) return;
    this.published = { status, awaiting };
    upsertSearchAttributes([
      { key: ORDER_STATUS_KEY, value: status },
      { key: ORDER_AWAITING_KEY, value: awaiting },
    ]);
  }

  private async record(previous: OrderSnapshot, next: OrderSnapshot): Promise<void> {
    const created = next.version === 1;
    const kind = created
      ? 'order.created'
      : previous.status !== next.status
        ? (`order.${next.status}` as const)
        : null;
    const planFor = this.watch.stageEntered(next);
    if (kind !== null && patched(RECORD_AND_NOTIFY_PATCH)) return this.recordAndNotify(next, planFor, kind);
    const recorded = await this.step('recordOrder', () => local.recordOrder({ order: next, planFor }));
    this.watch.follow(this.current, recorded?.plan ?? null);
    if (kind !== null) await this.step('notifyOrder', () => local.notifyOrder({ kind, order: this.current }));
    if (recorded?.found) await this.catchUp(recorded.found);
  }

  /**
   * Records a change of status and tells of it in one step. The step is the record's: when recording fails
   * for good the order shows that problem and the notification runs on its own, as it did before; when only
   * the notification fails for good, the order shows the problem of its `notifyOrder` step.
   */
  private async recordAndNotify(
    next: OrderSnapshot,
    planFor: EscalationStage | null,
    kind: NotificationKind,
  ): Promise<void> {
    const recorded = await this.step('recordOrder', () =>
      local.recordOrderAndNotify({ order: next, planFor, notify: kind }),
    );
    this.watch.follow(this.current, recorded?.plan ?? null);
    if (recorded === null) {
      await this.step('notifyOrder', () => local.notifyOrder({ kind, order: this.current }));
    } else if ('notifyFailed' in recorded) {
      const { type, message } = recorded.notifyFailed;
      await this.showProblem('notifyOrder', ApplicationFailure.create({ type, message, nonRetryable: true }));
    } else if (this.current.problem?.step === 'notifyOrder') {
      await this.resolve();
    }
    if (recorded?.found) await this.catchUp(recorded.found);
  }

  /**
   * The database holds writes of this order that its history does not: a workflow task Temporal lost after
   * its steps had committed, that nobody repeated. The order takes in the shipments that run wrote (goods
   * that left stay left; a cancellation under way keeps their value) and records itself past the row that
   * run wrote, so the row says again what the workflow says. Histories from before never found anything:
   * their results have no `found`, so they replay as they ran.
   */
  private async catchUp({ version, shipments }: FoundBeyond): Promise<void> {
    const previous = this.current;
    this.current = withChanges(
      { ...previous, version: Math.max(version, previous.version) },
      now(),
      withFoundShipments(previous, shipments),
    );
    await this.record(previous, this.current);
  }

  /** Shows a failed step on the order and tells the managers; a failure while doing so is only logged. */
  private async showProblem(name: string, failure: ApplicationFailure): Promise<void> {
    const at = now();
    const kind = failure.type as PermanentFailureKind;
    const order = await this.note({ problem: { step: name, kind, message: failure.message, at } }, at);
    if (name === 'notifyOrder') return;
    await local
      .notifyOrder({
        kind: 'order.problem',
        order,
        occurrence: `problem:${name}:${order.version}`,
        notify: ['manager', 'admin'],
      })
      .catch(tolerate);
  }

  /** The step that failed has passed: the order shows no problem any more. */
  private async resolve(): Promise<void> {
    if (!patched(RECORD_RESOLVED_PROBLEM_PATCH)) {
      // Orders that began before: cleared in memory only, recorded with their next change.
      this.current = { ...this.current, problem: null };
      return;
    }
    await this.note({ problem: null }, now());
  }

  /** Records a change of the order's problem alone: no notification, no new wait. */
  private async note(changes: OrderChanges, at: string): Promise<OrderSnapshot> {
    const order = withChanges(this.current, at, changes);
    this.current = order;
    await local.recordOrder({ order, planFor: null }).catch(tolerate);
    return order;
  }
}

/** A permanent failure while recording a problem is left to the logs: the problem is already in memory. */
function tolerate(error: unknown): void {
  if (!permanentFailure(error)) throw error;
}
