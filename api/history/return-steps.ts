/**
 * The order's history shows its returns (issue 25): each change of a return, recorded by the return's own
 * workflow, is woven into the order's steps by time, with the order's status as it was then. Pure.
 */
import type { ReturnEvent } from '../../domain/return';
import type { HistoryStep } from './order-history.decoder';

/** The order's steps and its returns' events in one list, oldest first (order steps first on a tie). */
export function withReturnSteps(steps: HistoryStep[], events: readonly ReturnEvent[]): HistoryStep[] {
  if (events.length === 0) return steps;
  const merged: HistoryStep[] = [];
  let next = 0;
  for (const step of steps) {
    while (next < events.length && events[next]!.at < step.at) {
      merged.push(returnStep(events[next++]!, merged[merged.length - 1] ?? step));
    }
    merged.push(step);
  }
  while (next < events.length) merged.push(returnStep(events[next++]!, merged[merged.length - 1]!));
  return merged;
}

function returnStep(event: ReturnEvent, before: HistoryStep): HistoryStep {
  return {
    at: event.at,
    kind: event.kind,
    actor: { id: event.actor.id, username: event.actor.username },
    status: before.status,
    details: event.details,
  };
}
