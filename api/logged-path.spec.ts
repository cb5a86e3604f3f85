import { loggedPath } from './logged-path';

describe('loggedPath', () => {
  it('drops the query string', () => {
    expect(loggedPath('/api/orders?q=secret')).toBe('/api/orders');
  });

  it("hides the customer's link tokens of the tracking and the quote pages", () => {
    expect(loggedPath('/track/abc.def?x=1')).toBe('/track/…');
    expect(loggedPath('/q/tok3n')).toBe('/q/…');
    expect(loggedPath('/q/tok3n/accept')).toBe('/q/…/accept');
    expect(loggedPath('/api/quotes/123')).toBe('/api/quotes/123');
  });
});
