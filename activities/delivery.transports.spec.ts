import { createHmac } from 'node:crypto';
import { webhookSignature } from './delivery.transports';

describe('webhook signature', () => {
  it('is the HMAC-SHA256 of "<timestamp>.<body>" with the secret, labelled with the timestamp', () => {
    const body = '{"event":"order.shipped"}';
    const expected = createHmac('sha256', 'whsec_test').update(`1764115200.${body}`).digest('hex');
    expect(webhookSignature('whsec_test', 1764115200, body)).toBe(`t=1764115200,v1=${expected}`);
  });

  it('changes with the body, the timestamp and the secret', () => {
    const base = webhookSignature('a', 1, 'x');
    expect(webhookSignature('a', 1, 'y')).not.toBe(base);
    expect(webhookSignature('a', 2, 'x')).not.toBe(base);
    expect(webhookSignature('b', 1, 'x')).not.toBe(base);
  });
});
