/**
 * Turns an order workflow's event history into the business steps people read: who acted, what the
 * system decided, what waited and what was retried. Pure: it gets the events with payloads already decoded.
 */
import type { Actor, OrderSnapshot, OrderStatus } from '../../domain/order';

/** One history event, reduced to what the decoder needs (payloads decoded to plain values). */
export interface DecodedEvent {
  id: number;
  at: string;
  type: string;
  /** Workflow input, update input, activity input, signal input (the first argument). */
  input?: unknown;
  /** Activity result or update result. */
  result?: unknown;
  /** Activity type or update name or signal name or timer id. */
  name?: string;
  /**
   * For ActivityTaskStarted: the attempt number, and the failure of the previous attempt. For a local
   * activity (`LocalActivity`, its marker): the attempts it took, and its failure if it failed for good.
   */
  attempt?: number;
  failure?: string;
  /** For WorkflowExecutionStarted: whether this run continues an earlier one (a long wait, continued as new). */
  continued?: boolean;
  /** For task-completion events: which scheduled event they belong to. */
  scheduledEventId?: number;
}

export interface HistoryStep {
  at: string;
  kind: string;
  actor: { id: string; username: string } | null;
  status: OrderStatus;
  details: Record<string, unknown>;
}

const SYSTEM = { id: 'system', username: 'system' };
const person = (actor: Actor | undefined) => (actor ? { id: actor.id, username: actor.username } : null);

/** What each activity's completion means, in the order's own words. */
function activityStep(
  name: string,
  input: Record<string, unknown>,
  result: unknown,
): [string, Record<string, unknown>] | null {
  const outcome = (result ?? {}) as { ok?: boolean; shortages?: unknown; reason?: string };
  switch (name) {
    case 'reserveStock':
      return outcome.ok ? ['stock.reserved', {}] : ['stock.unavailable', { shortages: outcome.shortages }];
    case 'reserveAvailable': {
      // An `allowPartial` order's look at the stock: what it holds of each line, and what it still waits for.
      const { held, shortages = [] } = (result ?? {}) as { held?: unknown; shortages?: unknown[] };
      return shortages.length === 0
        ? ['stock.reserved', { held }]
        : ['stock.unavailable', { shortages, held }];
    }
    case 'trimReservation':
      return ['stock.reservation_adjusted', {}];
    case 'adjustReservation':
      return outcome.ok
        ? ['stock.reservation_adjusted', {}]
        : ['stock.unavailable', { shortages: outcome.shortages }];
    case 'releaseStock':
      return ['stock.released', {}];
    case 'fulfilStock':
      return ['stock.shipped', {}];
    case 'shipGoods': {
      // A local activity: its input is not kept in the history, so the shipment is read from its result.
      const { shipment } = (result ?? {}) as { shipment?: Record<string, unknown> };
      const { id, lines, location, carrier, trackingNumber } = shipment ?? {};
      return ['stock.shipped', { shipmentId: id, lines, location, carrier, trackingNumber }];
    }
    case 'chargePayment':
      return outcome.ok
        ? [
            'payment.captured',
            { amount: input.amount, currency: input.currency, idempotencyKey: input.idempotencyKey },
          ]
        : [
            'payment.declined',
            { amount: input.amount, reason: outcome.reason, idempotencyKey: input.idempotencyKey },
          ];
    case 'refundPayment':
      return ['payment.refunded', { amount: input.amount, idempotencyKey: input.idempotencyKey }];
    case 'notifyOrder': {
      if (input.kind === 'order.problem') {
        const order = (input.order ?? {}) as { problem?: Record<string, unknown> | null };
        const problem = (input.problem ?? order.problem) as Record<string, unknown> | null | undefined;
        return ['order.problem', { ...problem, notify: input.notify }];
      }
      if (input.kind !== 'order.escalated') return ['notified', { kind: input.kind }];
      const escalation = (input.escalation ?? {}) as Record<string, unknown>;
      // The assignee's turn (level 0) on an order nobody held reminded nobody: not a step of the order.
      if (escalation.level === 0 && Array.isArray(input.notify) && input.notify.length === 0) return null;
      return [
        'order.escalated',
        {
          ...escalation,
          notify: input.notify,
          waitedSeconds: typeof input.waitedMs === 'number' ? Math.floor(input.waitedMs / 1000) : undefined,
        },
      ];
    }
    case 'escalationPlan': {
      const plan = (result ?? {}) as {
        stage?: string;
        version?: number;
        levels?: unknown;
        calendar?: unknown;
      };
      return [
        'escalation.watching',
        {
          stage: plan.stage,
          policyVersion: plan.version,
          levels: plan.levels,
          businessHours: Boolean(plan.calendar),
        },
      ];
    }
    default:
      return null;
  }
}

/** The order's steps in order of time. */
export function describeHistory(events: DecodedEvent[]): HistoryStep[] {
  const steps: HistoryStep[] = [];
  const scheduled = new Map<number, { name: string; input: Record<string, unknown> }>();
  /** The step of each accepted staff action, by its event id, to mark it when the action was refused. */
  const actions = new Map<number, HistoryStep>();
  let status: OrderStatus = 'created';
  let last: OrderSnapshot | null = null;
  const push = (
    at: string,
    kind: string,
    actor: HistoryStep['actor'],
    details: Record<string, unknown> = {},
  ) => steps.push({ at, kind, actor, status, details });
  const pushStep = (at: string, step: ReturnType<typeof activityStep>) => {
    if (step) push(at, step[0], SYSTEM, step[1]);
  };
  /** A snapshot written to PostgreSQL: the automatic approvals it adds and the status or wait it moves to. */
  const recorded = (at: string, next: OrderSnapshot) => {
    const newApprovals = next.approvals.slice(last?.approvals.length ?? 0);
    for (const approval of newApprovals.filter((a) => a.automatic)) {
      push(at, 'approval.automatic', SYSTEM, {
        amount: approval.amount,
        ruleVersion: approval.ruleVersion,
        rule: next.approvalRule,
      });
    }
    if (!last || last.status !== next.status || last.awaiting !== next.awaiting) {
      status = next.status;
      push(at, 'status', null, { awaiting: next.awaiting });
    }
    last = next;
  };

  for (const event of events) {
    switch (event.type) {
      case 'WorkflowExecutionStarted': {
        if (event.continued) {
          push(event.at, 'order.continued', SYSTEM, {});
          break;
        }
        const input = event.input as {
          createdBy?: Actor;
          number?: string;
          total?: number;
          currency?: string;
          approvalRule?: unknown;
        };
        push(event.at, 'order.created', person(input.createdBy), {
          number: input.number,
          total: input.total,
          currency: input.currency,
          approvalRule: input.approvalRule,
        });
        break;
      }
      case 'WorkflowExecutionUpdateAccepted': {
        if (event.name === 'recorded') break;
        const {
          actor,
          signature: _signature,
          ...details
        } = (event.input ?? {}) as { actor?: Actor } & Record<string, unknown>;
        if ('lines' in details)
          details.lines = (details.lines as { sku: string; quantity: number }[]).map(({ sku, quantity }) => ({
            sku,
            quantity,
          }));
        push(event.at, `action.${event.name ?? 'unknown'}`, person(actor), details);
        actions.set(event.id, steps[steps.length - 1]!);
        break;
      }
      case 'WorkflowExecutionUpdateCompleted': {
        // An action that failed after it was accepted (a step failed, or its signature did not hold).
        const action = actions.get(event.scheduledEventId ?? -1);
        if (action && event.failure !== undefined) action.details.refused = event.failure;
        break;
      }
      case 'ActivityTaskScheduled': {
        scheduled.set(event.id, {
          name: event.name ?? '',
          input: (event.input ?? {}) as Record<string, unknown>,
        });
        if (event.name === 'mirrorOrder') recorded(event.at, event.input as OrderSnapshot);
        break;
      }
      case 'LocalActivity': {
        // A local activity's marker: its input is not kept, so the steps are read from its result.
        const result = (event.result ?? {}) as Record<string, unknown>;
        if ((event.attempt ?? 1) > 1) {
          push(event.at, 'activity.retried', null, { activity: event.name, attempt: event.attempt });
        }
        if (event.failure !== undefined) {
          push(event.at, 'activity.failed', null, { activity: event.name, failure: event.failure });
          break;
        }
        if (event.name === 'recordOrder' || event.name === 'recordOrderAndNotify') {
          recorded(event.at, result.order as OrderSnapshot);
          if (result.plan) pushStep(event.at, activityStep('escalationPlan', {}, result.plan));
          // The notification of the change: its notice, as a notifyOrder step would have kept it.
          const notified = result.notified as { notice?: Record<string, unknown> } | undefined;
          if (notified) pushStep(event.at, activityStep('notifyOrder', notified.notice ?? {}, notified));
          break;
        }
        const input = (event.name === 'notifyOrder' ? result.notice : {}) as Record<string, unknown>;
        pushStep(event.at, activityStep(event.name ?? '', input ?? {}, result));
        break;
      }
      case 'ActivityTaskStarted': {
        const activity = scheduled.get(event.scheduledEventId ?? -1);
        if (activity && (event.attempt ?? 1) > 1) {
          push(event.at, 'activity.retried', null, {
            activity: activity.name,
            attempt: event.attempt,
            previousFailure: event.failure,
          });
        }
        break;
      }
      case 'ActivityTaskCompleted': {
        const activity = scheduled.get(event.scheduledEventId ?? -1);
        if (activity) pushStep(event.at, activityStep(activity.name, activity.input, event.result));
        break;
      }
      case 'ActivityTaskFailed':
      case 'ActivityTaskTimedOut': {
        const activity = scheduled.get(event.scheduledEventId ?? -1);
        push(event.at, 'activity.failed', null, { activity: activity?.name, failure: event.failure });
        break;
      }
      case 'TimerFired':
        push(event.at, 'timer.fired', SYSTEM, { timer: event.name });
        break;
      case 'WorkflowExecutionSignaled': {
        const plan = event.input as { stage?: string; version?: number } | undefined;
        push(
          event.at,
          `signal.${event.name ?? 'unknown'}`,
          SYSTEM,
          event.name === 'escalationPolicyChanged'
            ? { stage: plan?.stage, policyVersion: plan?.version }
            : {},
        );
        break;
      }
      case 'WorkflowExecutionCompleted':
        push(event.at, 'order.closed', null, {});
        break;
    }
  }
  return steps;
}
