/**
 * What the API and the quote's expiry workflow share (issue 27): the workflow's name, its ID and input. The
 * quote's vocabulary is in `domain/quote.ts`.
 */

/** The workflow's name, as the worker registers it. */
export const QUOTE_EXPIRY_WORKFLOW = 'quoteExpiryWorkflow';

/** One timer per quote: a business ID, so sending a quote twice never starts a second one. */
export function quoteWorkflowId(quoteId: string): string {
  return `quote:${quoteId}`;
}

export interface QuoteExpiryInput {
  quoteId: string;
  /** The quote's end, ISO 8601 (it never changes: a quote is not edited). */
  validUntil: string;
}

/**
 * What the expiry step found: it wrote `expired`, the quote was answered (or expired) already, or the
 * clock of the process that checked had not reached `validUntil` yet (`remainingMs` to go).
 */
export type QuoteExpiryOutcome =
  | { outcome: 'expired' }
  | { outcome: 'answered'; status: string | null }
  | { outcome: 'early'; remainingMs: number };

/** Where and how the quote's timer starts: on the installation's task queue, once per quote. */
export function quoteExpiryStart(taskQueue: string, input: QuoteExpiryInput) {
  return {
    taskQueue,
    workflowId: quoteWorkflowId(input.quoteId),
    args: [input] as [QuoteExpiryInput],
    // Sent again while the timer runs: the same timer (the quote's end has not changed).
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    // A closed timer (the quote expired or was answered) leaves nothing to send again; allowed anyway.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const,
  };
}
