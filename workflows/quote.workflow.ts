import { proxyActivities, sleep } from '@temporalio/workflow';
import type * as activities from '../activities';
import type { QuoteExpiryInput, QuoteExpiryOutcome } from './quote.definitions';

type Activities = ReturnType<typeof activities.createActivities>;

const { expireQuote } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // Through database outages: the quote must end up expired once it is due.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * A quote's durable timer (docs/quotes.md): started when the quote is sent, it sleeps until `validUntil` and
 * then marks the quote `expired` if nobody answered it by then (`expireQuote`: one conditional update, safe
 * against an accept or decline holding the quote's row), and ends. An answered quote is left as it is.
 */
export async function quoteExpiryWorkflow(input: QuoteExpiryInput): Promise<QuoteExpiryOutcome> {
  const end = Date.parse(input.validUntil);
  let wait = end - Date.now();
  for (;;) {
    if (wait > 0) await sleep(wait);
    const found = await expireQuote({ quoteId: input.quoteId });
    if (found.outcome !== 'early') return found;
    // The checking process's clock is behind the timer's: look again when it should have caught up.
    wait = Math.max(found.remainingMs, 1000);
  }
}
