/**
 * The customer's quote link: `/q/<quote id>.<signature>`, signed like the tracking link (same key, same
 * form) but for another purpose, so a tracking link never opens a quote and a quote link never a tracking
 * page. The link carries no expiry: the quote's own `validUntil` and status decide what it may still do.
 */
import type { AppConfig } from './config';
import { idOfSignedLinkToken, signedLinkToken, type LinkPurpose } from './tracking-link';

const PURPOSE: LinkPurpose = 'quote-link:v1:';

/** The token of a quote's link. */
export function quoteToken(key: string, quoteId: string): string {
  return signedLinkToken(key, PURPOSE, quoteId);
}

/** The quote id a token was signed for, or null for anything else (a tracking token included). */
export function quoteIdOfToken(key: string, token: string): string | null {
  return idOfSignedLinkToken(key, PURPOSE, token);
}

/** The whole link for the customer's e-mail: `<public URL>/q/<token>`. */
export function quoteUrl(tracking: AppConfig['tracking'], key: string, quoteId: string): string {
  return `${tracking.publicUrl}/q/${quoteToken(key, quoteId)}`;
}
