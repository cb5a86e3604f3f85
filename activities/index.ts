import { createOrderActivities, type OrderActivityDeps } from './order.activities';

export type ActivityDeps = OrderActivityDeps;

/** Every activity the worker registers, wired to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderActivities(deps),
  };
}
