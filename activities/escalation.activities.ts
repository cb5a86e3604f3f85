import type { EntityManager } from '@mikro-orm/postgresql';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { EscalationRepository } from '../db/repositories';
import { escalationPolicyChangedSignal, waitingOrdersQuery } from '../workflows/escalation.definitions';
import { toPlan, type EscalationPlan, type EscalationStage } from '../domain/escalation';

export interface EscalationActivityDeps {
  em: () => EntityManager;
  client: Client;
}

/**
 * How many orders a rollout has signalled and not yet seen take the plan in. The orders' task queue is the
 * one new orders are created on: a rollout that signalled every waiting order at once (hundreds) put as many
 * workflow tasks ahead of each new order's first, and under load creation waited past its deadline (503).
 */
const SIGNALS_IN_FLIGHT = 8;
/** How long a rollout waits for one order to take the plan in before it moves on (a worker that is down). */
const TAKEN_IN_WITHIN_MS = 30_000;

/**
 * Waits until the workflow has no workflow task pending (the signal's), at most TAKEN_IN_WITHIN_MS. The signal
 * is sent already: an order that cannot be described (it finished, Temporal hiccupped) is not waited for.
 */
async function takenIn(handle: WorkflowHandle): Promise<void> {
  const deadline = Date.now() + TAKEN_IN_WITHIN_MS;
  for (let pause = 50; Date.now() < deadline; pause = Math.min(pause * 2, 1000)) {
    const pending = await handle.describe().then(
      (description) => Boolean(description.raw.pendingWorkflowTask),
      () => false,
    );
    if (!pending) return;
    await Context.current().sleep(pause);
  }
}

/** Escalation activities: the workflow reads the policy in force through here, never from the database. */
export function createEscalationActivities(deps: EscalationActivityDeps) {
  /** The policy in force for a wait, as the plan an order follows (with the calendar when it counts). */
  async function escalationPlan({ stage }: { stage: EscalationStage }): Promise<EscalationPlan> {
    const escalations = new EscalationRepository(deps.em());
    return toPlan(await escalations.policy(stage), await escalations.calendar());
  }

  return {
    escalationPlan,

    /**
     * Sends the stage's plan in force to every order waiting in it, found through Temporal visibility, and
     * answers how many it reached. Safe to repeat: an order keeps the newest version it has seen. An order
     * that finished meanwhile is skipped; one that starts waiting later reads the policy itself.
     */
    async sendEscalationPlan({ stage }: { stage: EscalationStage }): Promise<number> {
      const plan = await escalationPlan({ stage });
      let sent = 0;
      const failures: Error[] = [];
      const inFlight = new Set<Promise<void>>();
      const send = async (workflowId: string) => {
        try {
          const handle = deps.client.workflow.getHandle(workflowId);
          await handle.signal(escalationPolicyChangedSignal, plan);
          sent++;
          await takenIn(handle);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) failures.push(error as Error);
        }
      };
      for await (const workflow of deps.client.workflow.list({ query: waitingOrdersQuery(stage) })) {
        if (failures.length > 0) break;
        Context.current().cancellationSignal.throwIfAborted();
        const signal = send(workflow.workflowId).finally(() => inFlight.delete(signal));
        inFlight.add(signal);
        if (inFlight.size >= SIGNALS_IN_FLIGHT) await Promise.race(inFlight);
        Context.current().heartbeat(sent);
      }
      await Promise.all(inFlight);
      // The activity is retried; the orders already reached ignore the plan the second time.
      if (failures.length > 0) throw failures[0]!;
      return sent;
    },
  };
}
