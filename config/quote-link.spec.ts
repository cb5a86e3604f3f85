import { randomUUID } from 'node:crypto';
import { quoteIdOfToken, quoteToken } from './quote-link';
import { orderIdOfTrackingToken, trackingToken } from './tracking-link';

describe('the quote link', () => {
  const key = 'k'.repeat(32);
  const id = randomUUID();

  it('opens its quote', () => {
    expect(quoteIdOfToken(key, quoteToken(key, id))).toBe(id);
  });

  it('is never a tracking link, nor a tracking link a quote link', () => {
    expect(quoteIdOfToken(key, trackingToken(key, id))).toBeNull();
    expect(orderIdOfTrackingToken(key, quoteToken(key, id))).toBeNull();
  });

  it('refuses another key, a changed character and a truncation', () => {
    const token = quoteToken(key, id);
    expect(quoteIdOfToken('x'.repeat(32), token)).toBeNull();
    expect(quoteIdOfToken(key, token.slice(0, -1))).toBeNull();
    expect(quoteIdOfToken(key, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
  });
});
