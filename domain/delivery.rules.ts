/**
 * Pure rules of outbound deliveries: which destination a delivery goes to, how a destination's circuit breaker
 * moves, how long a delivery waits after a failure of its own, and which e-mails a member of staff wants.
 * No I/O: the dispatcher, the notification activities and the API apply them.
 */
import { SYSTEM_ACTOR, type Actor, type OrderSnapshot } from './order';
import type { Role } from './people';
import type { BreakerState, Channel, EmailPreference } from './notifications';

/** Every e-mail goes to the one SMTP server (OMS_SMTP_URL): one destination, one breaker. */
export const SMTP_DESTINATION = 'smtp';

/**
 * The destination of a delivery: `smtp` for e-mail, `webhook:<host[:port]>` for a webhook call (lower-case),
 * so that one receiver that fails stops only the calls to its own host. The migration that introduced the
 * outbox computes the same key in SQL for the deliveries that were waiting then.
 */
export function destinationOf(channel: Channel, address: string): string {
  if (channel === 'email') return SMTP_DESTINATION;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?([^/?#]+)/i.exec(address)?.[1] ?? address;
  return `webhook:${authority.toLowerCase()}`;
}

export interface BreakerSettings {
  /** Consecutive failures of a closed destination that open its breaker. */
  threshold: number;
  /** Wait before the first probe of an open destination, in milliseconds; doubled after each failed probe. */
  backoffMs: number;
  /** The longest wait between two probes. */
  maxBackoffMs: number;
}

/** A destination's breaker as the dispatcher keeps it (times in epoch milliseconds). */
export interface Breaker {
  state: BreakerState;
  /** Consecutive failures while closed; a success resets them. */
  failures: number;
  /** Failed probes since the breaker opened: each doubles the wait before the next. */
  probes: number;
  openedAt: number | null;
  nextProbeAt: number | null;
}

export const CLOSED_BREAKER: Breaker = {
  state: 'closed',
  failures: 0,
  probes: 0,
  openedAt: null,
  nextProbeAt: null,
};

/** The wait before the next probe after `probes` failed ones. */
export function probeBackoffMs(probes: number, settings: BreakerSettings): number {
  return Math.min(settings.backoffMs * 2 ** Math.min(probes, 30), settings.maxBackoffMs);
}

/**
 * What the destination's dispatcher may do now: `send` while closed; one `probe` once an open breaker's wait
 * is over (also for a half-open one whose probe was lost with its dispatcher); otherwise `wait`.
 */
export function breakerAllows(breaker: Breaker, now: number): 'send' | 'probe' | 'wait' {
  if (breaker.state === 'closed') return 'send';
  if (breaker.state === 'half_open') return 'probe';
  return breaker.nextProbeAt === null || now >= breaker.nextProbeAt ? 'probe' : 'wait';
}

/** The one probe is on its way. */
export function probing(breaker: Breaker): Breaker {
  return { ...breaker, state: 'half_open' };
}

/** The destination answered: whatever the breaker was, it closes. */
export function afterSuccess(): Breaker {
  return CLOSED_BREAKER;
}

/**
 * The destination failed (refused, timed out, answered 5xx): a closed breaker opens after `threshold`
 * consecutive failures; a failed probe opens it again with twice the wait.
 */
export function afterFailure(breaker: Breaker, now: number, settings: BreakerSettings): Breaker {
  if (breaker.state === 'closed') {
    const failures = breaker.failures + 1;
    if (failures < settings.threshold) return { ...breaker, failures };
    return {
      state: 'open',
      failures,
      probes: 0,
      openedAt: now,
      nextProbeAt: now + probeBackoffMs(0, settings),
    };
  }
  const probes = breaker.probes + 1;
  return {
    state: 'open',
    failures: breaker.failures + 1,
    probes,
    openedAt: breaker.openedAt ?? now,
    nextProbeAt: now + probeBackoffMs(probes, settings),
  };
}

/** The longest a delivery waits after a failure of its own (a webhook answering 4xx, a rejected address). */
export const MAX_RETRY_DELAY_MS = 10 * 60_000;

/** The wait before the next attempt of a delivery that failed `failures` times on its own account. */
export function retryDelayMs(failures: number, retryIntervalMs: number): number {
  return Math.min(retryIntervalMs * 2 ** Math.max(0, Math.min(failures - 1, 30)), MAX_RETRY_DELAY_MS);
}

/**
 * The people an order names as having acted on it: who approved, rejected or cancelled it. With its assignee
 * and those an escalation policy names, these are whom an occurrence concerns personally (e-mail `assigned`).
 */
export function peopleOnOrder(order: OrderSnapshot): string[] {
  const actors: Actor[] = [
    ...order.approvals.map((approval) => approval.by),
    ...(order.rejection ? [order.rejection.by] : []),
    ...(order.cancellation ? [order.cancellation.by] : []),
  ];
  return [...new Set(actors.filter((actor) => actor.id !== SYSTEM_ACTOR.id).map((actor) => actor.username))];
}

/**
 * Who of staff hears of an occurrence on an order somebody holds: the assignee instead of the other members
 * of the assignee's roles (a clerk's order is that clerk's business, not every clerk's). Members of the
 * kind's other roles, and people named by name (an escalation policy's users), still hear of it. An order
 * nobody holds, or a kind that does not go to any of the assignee's roles, reaches every member as before.
 */
export function responsibleStaff<R extends { username: string; roles: readonly Role[] }>(
  members: readonly R[],
  roles: readonly Role[],
  named: readonly string[],
  assignee: R | null,
): R[] {
  const covered = assignee ? roles.filter((role) => assignee.roles.includes(role)) : [];
  if (!assignee || covered.length === 0) return [...members];
  const others = members.filter(
    (member) =>
      member.username !== assignee.username &&
      (named.includes(member.username) ||
        member.roles.some((role) => roles.includes(role) && !covered.includes(role))),
  );
  return [...others, assignee].sort((a, b) => a.username.localeCompare(b.username));
}

/**
 * Who receives what was meant for people away: each recipient with a delegate in force (by username) is
 * replaced by the delegate, everyone once (also when the delegate was a recipient already). One hop only: a
 * delegate's own delegation does not pass it on.
 */
export function handOver<R extends { username: string }>(
  recipients: readonly R[],
  delegates: ReadonlyMap<string, R>,
): R[] {
  const receiving = new Map<string, R>();
  for (const recipient of recipients) {
    const actual = delegates.get(recipient.username) ?? recipient;
    if (!receiving.has(actual.username)) receiving.set(actual.username, actual);
  }
  return [...receiving.values()].sort((a, b) => a.username.localeCompare(b.username));
}

/**
 * Whether a member of staff is e-mailed a notification at once: `all` always, `assigned` when it concerns
 * them personally; `digest` gets it in the next daily digest, `none` only in the inbox.
 */
export function wantsEmailNow(preference: EmailPreference, personal: boolean): boolean {
  return preference === 'all' || (preference === 'assigned' && personal);
}
