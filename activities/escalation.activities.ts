import type { EntityManager } from '@mikro-orm/postgresql';
import { EscalationRepository } from '../db/repositories';
import { toPlan, type EscalationPlan, type EscalationStage } from '../workflows/escalation.definitions';

export interface EscalationActivityDeps {
  em: () => EntityManager;
}

/** Escalation activities: the workflow reads the policy in force through here, never from the database. */
export function createEscalationActivities(deps: EscalationActivityDeps) {
  return {
    /** The policy in force for a wait, as the plan an order follows (with the calendar when it counts). */
    async escalationPlan({ stage }: { stage: EscalationStage }): Promise<EscalationPlan> {
      const escalations = new EscalationRepository(deps.em());
      return toPlan(await escalations.policy(stage), await escalations.calendar());
    },
  };
}
