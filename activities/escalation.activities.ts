import type { EntityManager } from '@mikro-orm/postgresql';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { EscalationRepository } from '../db/repositories';
import { escalationPolicyChangedSignal, waitingOrdersQuery } from '../workflows/escalation.definitions';
import { toPlan, type EscalationPlan, type EscalationStage } from '../domain/escalation';

export interface EscalationActivityDeps {
  em: () => EntityManager;
  client: Client;
}

/** How many signals a rollout has in flight at once. */
const SIGNALS_IN_FLIGHT = 8;

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
          await deps.client.workflow.getHandle(workflowId).signal(escalationPolicyChangedSignal, plan);
          sent++;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) failures.push(error as Error);
        }
      };
      for await (const workflow of deps.client.workflow.list({ query: waitingOrdersQuery(stage) })) {
        if (failures.length > 0) break;
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
