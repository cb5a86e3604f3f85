import { acceptRequestId, currentRequestId, withRequestId } from './request-id';

describe('request ids', () => {
  it("keeps a caller's id made of letters, digits and ._:-", () => {
    expect(acceptRequestId('3f2c9a1e-trace.01:x_y')).toBe('3f2c9a1e-trace.01:x_y');
  });

  it('replaces an id that is missing, too long or carries anything else with a new UUID', () => {
    for (const bad of [undefined, '', 'a'.repeat(129), 'id with spaces', 'x\ny', '<script>'])
      expect(acceptRequestId(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('is the current id inside the request and across awaits, and none outside', async () => {
    expect(currentRequestId()).toBeUndefined();
    await withRequestId('req-1', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(currentRequestId()).toBe('req-1');
    });
    expect(currentRequestId()).toBeUndefined();
  });
});
