/**
 * Escalation watching for one order, inside its workflow: which watched wait the order is in, the plan it
 * follows there, which reminders have fired, and when the next one falls due. Pure state; the workflow sends
 * the reminders and records the level reached.
 */
import {
  stageOf,
  type EscalationPlan,
  type EscalationStage,
  type EscalationState,
} from '../domain/escalation';
import {
  dueAt,
  dueReminders,
  firstLevel,
  levelKey,
  nextDue,
  shiftedBy,
  type Fired,
} from '../domain/escalation.rules';
import type { OrderSnapshot } from '../domain/order';

/** The watched wait the order is in: the plan it follows and how many reminders of each level have fired. */
export interface Watch {
  stage: EscalationStage;
  since: number;
  plan: EscalationPlan;
  fired: Fired;
  /**
   * Decided when the wait's first reminder falls due: how long the policy's levels follow the reminder the
   * order's assignee got first (the first level's time), or 0 when nobody held the order then. Absent before
   * that moment, and in waits whose first reminder fired before assignees were reminded first.
   */
  lead?: number;
}

/** What a watch carries across continue-as-new. */
export interface WatchMemory {
  current: Watch | null;
  signalled: Partial<Record<EscalationStage, EscalationPlan>>;
}

/** One reminder to send now. */
export interface Reminder {
  notify: string[];
  /** Part of the notification's dedup key: the wait, the level and its repetition. */
  occurrence: string;
  waitedMs: number;
  escalation: { stage: EscalationStage; level: number; repetition: number; policyVersion: number };
}

/** A plan with no levels: the wait is watched but nobody is reminded (its policy could not be loaded). */
const unwatched = (stage: EscalationStage): EscalationPlan => ({
  stage,
  version: -1,
  levels: [],
  calendar: null,
});

export class EscalationWatch {
  private current: Watch | null;
  /** The newest plan signalled for each stage, in case it arrives before the order enters that wait. */
  private readonly signalled: Partial<Record<EscalationStage, EscalationPlan>>;
  /** Grows when a changed plan reaches the current wait, so a waiting order re-times its next reminder. */
  changes = 0;

  constructor(memory: WatchMemory = { current: null, signalled: {} }) {
    this.current = memory.current;
    this.signalled = memory.signalled;
  }

  get memory(): WatchMemory {
    return { current: this.current, signalled: this.signalled };
  }

  /** The watched wait the order enters with this change, whose policy it needs; null when it enters none. */
  stageEntered(next: OrderSnapshot): EscalationStage | null {
    const stage = stageOf(next.awaiting);
    return stage !== null && stage !== this.current?.stage ? stage : null;
  }

  /**
   * Follows the order into its current wait with the plan loaded for it (null when it could not be loaded).
   * A new wait, even of the same stage after another in between, starts a fresh watch.
   */
  follow(order: OrderSnapshot, loaded: EscalationPlan | null): void {
    const stage = stageOf(order.awaiting);
    if (stage === null) {
      this.current = null;
      return;
    }
    if (this.current?.stage === stage) return;
    const plan = loaded ?? unwatched(stage);
    const newer = this.signalled[stage];
    this.current = {
      stage,
      since: Date.parse(order.awaitingSince ?? order.updatedAt),
      plan: newer && newer.version > plan.version ? newer : plan,
      fired: {},
    };
  }

  /** A changed policy: applies to the current wait from its start; what already fired stays fired. */
  policyChanged(plan: EscalationPlan): void {
    if ((this.signalled[plan.stage]?.version ?? -1) < plan.version) this.signalled[plan.stage] = plan;
    if (this.current?.stage === plan.stage && plan.version > this.current.plan.version) {
      this.current.plan = plan;
      this.changes++;
    }
  }

  /**
   * The reminder that goes to the order's assignee (or their delegate) alone before any level of the policy,
   * when it is due now: the wait's first reminder, at the first level's time. Null when it is not due, was
   * decided already, or a level has fired in this wait.
   */
  assigneeTurn(order: OrderSnapshot, now: number): Reminder | null {
    const watch = this.current;
    if (!watch || stageOf(order.awaiting) !== watch.stage) return null;
    if (watch.lead !== undefined || Object.keys(watch.fired).length > 0) return null;
    const first = firstLevel(watch.plan);
    if (!first || dueAt(watch.plan, first, watch.since, 0) > now) return null;
    return {
      notify: [],
      occurrence: `${watch.stage}@${new Date(watch.since).toISOString()}:assignee`,
      waitedMs: now - watch.since,
      escalation: { stage: watch.stage, level: 0, repetition: 1, policyVersion: watch.plan.version },
    };
  }

  /** The assignee's turn was taken: with someone reminded, the policy's levels follow it by the first level's time. */
  assigneeReminded(reached: boolean): void {
    const watch = this.current;
    if (!watch) return;
    watch.lead = reached ? (firstLevel(watch.plan)?.afterMs ?? 0) : 0;
  }

  /** The plan the current wait follows now: the policy's, moved back behind the assignee's reminder. */
  private planOf(watch: Watch): EscalationPlan {
    return watch.lead ? shiftedBy(watch.plan, watch.lead) : watch.plan;
  }

  /** Milliseconds until the next reminder of the current wait, or null when none will fire. */
  untilNext(now: number): number | null {
    if (!this.current) return null;
    const next = nextDue(this.planOf(this.current), this.current.since, this.current.fired);
    return next === null ? null : Math.max(1, next - now);
  }

  /**
   * The reminders due now, marked as fired, and the escalation state the order reaches with them; null when
   * none is due. Only the latest repetition of each level is sent; skipped ones are counted.
   */
  takeDue(order: OrderSnapshot, now: number): { reminders: Reminder[]; escalation: EscalationState } | null {
    const watch = this.current;
    if (!watch || stageOf(order.awaiting) !== watch.stage) return null;
    const plan = this.planOf(watch);
    const due = dueReminders(plan, watch.since, watch.fired, now);
    if (due.length === 0) return null;
    const since = new Date(watch.since).toISOString();
    const reminders = due.map(({ level, count }): Reminder => {
      const planLevel = plan.levels[level]!;
      watch.fired[levelKey(planLevel)] = count;
      return {
        notify: planLevel.notify,
        occurrence: `${watch.stage}@${since}:${levelKey(planLevel)}:${count}`,
        waitedMs: now - watch.since,
        escalation: {
          stage: watch.stage,
          level: level + 1,
          repetition: count,
          policyVersion: watch.plan.version,
        },
      };
    });
    const level = Math.max(order.escalation?.level ?? 0, ...due.map((d) => d.level + 1));
    return {
      reminders,
      escalation: { stage: watch.stage, since, level, escalatedAt: new Date(now).toISOString() },
    };
  }
}
