import { createHmac } from 'node:crypto';
import { startSmtpReceiver } from '../scripts/receivers';
import {
  smtpFailure,
  smtpMailer,
  webhookSignature,
  withDeadline,
  type SendFailure,
} from './delivery.transports';

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

describe('what an SMTP failure means for a delivery', () => {
  const failure = (error: object) => smtpFailure(Object.assign(new Error('x'), error));

  it.each([
    ['refused', { code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:25' }],
    ['black-holed (no greeting)', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }],
    ['not connecting in time', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }],
    ['busy (4xx)', { code: 'EENVELOPE', responseCode: 451 }],
  ])('%s: the server failed, the message surely did not leave', (_, error) => {
    const result = failure(error);
    expect(result.scope).toBe('destination');
    expect(result.maybeDelivered).toBe(false);
  });

  it('a refused mailbox (5xx) is a refusal of this message by a server that answers', () => {
    expect(failure({ code: 'EENVELOPE', responseCode: 550 })).toMatchObject({ scope: 'delivery' });
  });

  it('silence after the greeting may mean the message was handed over: never sent again', () => {
    const result = failure({ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' });
    expect(result).toMatchObject({ scope: 'destination', maybeDelivered: true });
    expect(result.message).toMatch(/not sent again/);
  });
});

describe('a mail server that accepts connections and never greets', () => {
  it('fails every message as not sent, to be sent again, never as maybe delivered', async () => {
    // A real silent listener: nodemailer's own timers decide which timeout it reports. With the silence
    // limit equal to the greeting's, some of these came back as silence, taken as maybe delivered.
    const server = await startSmtpReceiver();
    await server.become('blackhole');
    const messages = 40;
    const mailer = smtpMailer(server.url, 'oms@example.test', 1000, messages);
    try {
      // Spread over a third of a second, as sends come: which timer fires first depends on the milliseconds.
      const outcomes = await Promise.allSettled(
        Array.from({ length: messages }, async (_, i) => {
          await new Promise((resolve) => setTimeout(resolve, i * 8));
          await mailer.send({
            to: 'a@example.test',
            subject: 's',
            text: 't',
            html: '',
            messageId: `<${i}@t>`,
          });
        }),
      );
      const failures = outcomes.map((o) => (o as PromiseRejectedResult).reason as SendFailure);
      expect(failures.map((f) => [f.message, f.scope, f.maybeDelivered])).toEqual(
        failures.map(() => ['the SMTP server did not answer in time', 'destination', false]),
      );
    } finally {
      mailer.close();
      await server.close();
    }
  });
});

describe('a deadline on a send', () => {
  it('rejects with its own failure when the work takes longer, and passes the answer through otherwise', async () => {
    const never = new Promise<void>(() => undefined);
    await expect(withDeadline(never, 10, () => new Error('too slow'))).rejects.toThrow('too slow');
    await expect(withDeadline(Promise.resolve(7), 1000, () => new Error('x'))).resolves.toBe(7);
  });
});
