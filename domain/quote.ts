/**
 * Quotes (issue 27): an offer to a customer, priced from the catalogue when it is made, that the customer
 * accepts (it becomes an order) or declines behind a signed link, until it expires at `validUntil`. Pure
 * rules shared by the API's service, repository and pages.
 */
export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'declined', 'expired'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** The statuses of a quote nobody has answered yet: the only ones that expire. */
export const OPEN_QUOTE_STATUSES: readonly QuoteStatus[] = ['draft', 'sent'];

export type QuoteAction = 'send' | 'accept' | 'decline';

/** In which statuses each action is allowed: a quote is re-sent while open, answered only once sent. */
const ALLOWED: Record<QuoteAction, readonly QuoteStatus[]> = {
  send: ['draft', 'sent'],
  accept: ['sent'],
  decline: ['sent'],
};

/**
 * The status a quote has at `now`: an open quote is `expired` from `validUntil` on (at that very
 * millisecond it may no longer be accepted), whatever its row says until a refusal writes it.
 */
export function quoteStatusAt(stored: QuoteStatus, validUntil: Date, now: Date): QuoteStatus {
  return OPEN_QUOTE_STATUSES.includes(stored) && now.getTime() >= validUntil.getTime() ? 'expired' : stored;
}

/** Whether the action is allowed for a quote in this status. */
export function quoteAllows(action: QuoteAction, status: QuoteStatus): boolean {
  return ALLOWED[action].includes(status);
}

/** Most lines a quote may hold, as an order. */
export const MAX_QUOTE_LINES = 200;
