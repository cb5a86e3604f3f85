/**
 * Which open orders still run on the frozen v1 order workflow (`workflows/legacy/v1`): the question to answer
 * before that code may be deleted. An order's first run is on v1 when its history lacks the lean workflow's
 * patch marker; a run continued as new never is (v1 never continues as new).
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { LEAN_WORKFLOW_PATCH } from '../workflows/order.workflow';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Whether a history (of an order's first run) records the lean workflow's patch marker. */
export function hasLeanMarker(events: HistoryEvent[]): boolean {
  return events.some((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return false;
    return Object.values(marker.details ?? {}).some((details) =>
      (details.payloads ?? []).some((payload) =>
        Buffer.from(payload.data ?? [])
          .toString('utf8')
          .includes(`"${LEAN_WORKFLOW_PATCH}"`),
      ),
    );
  });
}

/** Whether the order's current run was started by the frozen v1 workflow. */
export async function runsOnV1(client: Client, workflowId: string): Promise<boolean> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  if (events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId) return false;
  return !hasLeanMarker(events);
}

/** The workflow IDs of open orders that run on the frozen v1 workflow. */
export async function openV1Orders(client: Client): Promise<string[]> {
  const open: string[] = [];
  const query = `WorkflowType = 'orderWorkflow' AND ExecutionStatus = 'Running'`;
  for await (const execution of client.workflow.list({ query })) {
    if (await runsOnV1(client, execution.workflowId)) open.push(execution.workflowId);
  }
  return open;
}
