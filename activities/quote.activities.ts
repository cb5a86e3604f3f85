import type { EntityManager } from '@mikro-orm/postgresql';
import { QuoteRepository } from '../db/repositories';
import type { QuoteExpiryOutcome } from '../workflows/quote.definitions';

export interface QuoteActivityDeps {
  em: () => EntityManager;
}

/** The quote expiry workflow's one step (docs/quotes.md); safe to run twice. */
export function createQuoteActivities(deps: QuoteActivityDeps) {
  return {
    /**
     * Marks the quote `expired` (audited as `quote.expired`, by the system) if it is still unanswered and due
     * by this process's clock; answers what it found.
     */
    async expireQuote({ quoteId }: { quoteId: string }): Promise<QuoteExpiryOutcome> {
      return new QuoteRepository(deps.em()).expireIfDue(quoteId);
    },
  };
}
