/**
 * What every mirror write of an order feeds, in its transaction, in this order: the report summaries, then
 * the announcement to live views. The repository stores; these project.
 */
import type { Sql } from '../repositories/sql';
import type { OrderChange } from './order-change';
import { announceOrderChange } from './order-events.projection';
import { projectReports } from './report.projection';

export type { OrderChange, PreviousRow } from './order-change';
export { ORDER_EVENTS_CHANNEL } from './order-events.projection';
export { LEDGER_TOTALS, ledgerTotals, outcomeOf } from './report-summaries';
export { projectLedger } from './ledger.projection';

const PROJECTIONS: ((sql: Sql, change: OrderChange) => Promise<void>)[] = [
  projectReports,
  announceOrderChange,
];

export async function projectOrderChange(sql: Sql, change: OrderChange): Promise<void> {
  for (const project of PROJECTIONS) await project(sql, change);
}
