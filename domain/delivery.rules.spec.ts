import {
  CLOSED_BREAKER,
  afterFailure,
  afterSuccess,
  breakerAllows,
  destinationOf,
  peopleOnOrder,
  probeBackoffMs,
  probing,
  handOver,
  responsibleStaff,
  retryDelayMs,
  wantsEmailNow,
  type Breaker,
} from './delivery.rules';
import { SYSTEM_ACTOR, type OrderSnapshot } from './order';
import type { Role } from './people';

const settings = { threshold: 3, backoffMs: 1000, maxBackoffMs: 8000 };

describe('destinations', () => {
  it('sends every e-mail to the one SMTP server', () => {
    expect(destinationOf('email', 'li@example.com')).toBe('smtp');
  });

  it('gives each webhook host (with its port) a destination of its own, in lower case', () => {
    expect(destinationOf('webhook', 'https://ERP.example.com/hooks/oms?x=1')).toBe('webhook:erp.example.com');
    expect(destinationOf('webhook', 'http://127.0.0.1:8080/a')).toBe('webhook:127.0.0.1:8080');
    expect(destinationOf('webhook', 'http://127.0.0.1:8081/a')).not.toBe(
      destinationOf('webhook', 'http://127.0.0.1:8080/a'),
    );
    expect(destinationOf('webhook', 'https://user:secret@hooks.example.com/x')).toBe(
      'webhook:hooks.example.com',
    );
  });
});

describe('a destination circuit breaker', () => {
  const failTimes = (breaker: Breaker, times: number, now = 0) =>
    Array.from({ length: times }).reduce<Breaker>((b) => afterFailure(b, now, settings), breaker);

  it('keeps sending through fewer consecutive failures than the threshold', () => {
    const breaker = failTimes(CLOSED_BREAKER, 2);
    expect(breaker.state).toBe('closed');
    expect(breakerAllows(breaker, 0)).toBe('send');
  });

  it('opens at the threshold and waits before its first probe', () => {
    const open = failTimes(CLOSED_BREAKER, 3, 5000);
    expect(open).toMatchObject({ state: 'open', openedAt: 5000, nextProbeAt: 6000 });
    expect(breakerAllows(open, 5999)).toBe('wait');
    expect(breakerAllows(open, 6000)).toBe('probe');
  });

  it('forgets failures after a success', () => {
    const breaker = afterFailure(afterSuccess(), 0, settings);
    expect(failTimes(afterSuccess(), 0)).toEqual(CLOSED_BREAKER);
    expect(breaker.failures).toBe(1);
  });

  it('doubles the wait after each failed probe, up to the longest', () => {
    let breaker = failTimes(CLOSED_BREAKER, 3, 0);
    const waits: number[] = [];
    for (let now = 10_000; waits.length < 6; now += 10_000) {
      breaker = afterFailure(probing(breaker), now, settings);
      waits.push(breaker.nextProbeAt! - now);
    }
    expect(waits).toEqual([2000, 4000, 8000, 8000, 8000, 8000]);
    expect(breaker.openedAt).toBe(0);
  });

  it('closes when a probe gets through', () => {
    const open = failTimes(CLOSED_BREAKER, 3);
    expect(breakerAllows(probing(open), 0)).toBe('probe');
    expect(afterSuccess()).toEqual(CLOSED_BREAKER);
  });

  it('never waits longer than the longest backoff however many probes failed', () => {
    expect(probeBackoffMs(1000, settings)).toBe(8000);
  });
});

describe("a delivery's own retries", () => {
  it('doubles from the retry interval and stops at ten minutes', () => {
    expect([1, 2, 3].map((failures) => retryDelayMs(failures, 5000))).toEqual([5000, 10_000, 20_000]);
    expect(retryDelayMs(50, 5000)).toBe(600_000);
  });
});

describe('e-mail preferences', () => {
  it.each([
    ['all', false, true],
    ['all', true, true],
    ['assigned', true, true],
    ['assigned', false, false],
    ['digest', true, false],
    ['none', true, false],
  ] as const)('%s, personal %p: e-mailed at once %p', (preference, personal, expected) => {
    expect(wantsEmailNow(preference, personal)).toBe(expected);
  });

  it('names who approved, rejected or cancelled an order, never the system', () => {
    const person = (username: string) => ({ id: `id-${username}`, username, roles: ['staff'] });
    const approval = (by: typeof SYSTEM_ACTOR) => ({
      by,
      comment: null,
      at: '2026-01-01T00:00:00Z',
      amount: 1,
      automatic: false,
      ruleVersion: 1,
    });
    const order = {
      approvals: [approval(SYSTEM_ACTOR), approval(person('li')), approval(person('li'))],
      rejection: null,
      cancellation: { by: person('wang'), reason: 'x', at: '2026-01-02T00:00:00Z' },
    } as unknown as OrderSnapshot;
    expect(peopleOnOrder(order)).toEqual(['li', 'wang']);
  });
});

describe('who of staff hears of an order somebody holds', () => {
  const member = (username: string, ...roles: Role[]) => ({ username, roles });
  const li = member('li', 'staff');
  const wang = member('wang', 'staff');
  const zhao = member('zhao', 'manager');
  const both = member('chen', 'staff', 'manager');
  const names = (people: { username: string }[]) => people.map((person) => person.username);

  it('reaches every member of the roles when nobody holds the order', () => {
    expect(names(responsibleStaff([li, wang, zhao], ['staff', 'manager'], [], null))).toEqual([
      'li',
      'wang',
      'zhao',
    ]);
  });

  it('reaches the assignee instead of the others of their role, and still the members of other roles', () => {
    expect(names(responsibleStaff([both, li, wang, zhao], ['staff', 'manager'], [], li))).toEqual([
      'chen',
      'li',
      'zhao',
    ]);
    expect(names(responsibleStaff([li, wang], ['staff'], [], wang))).toEqual(['wang']);
  });

  it('keeps people named by name, and adds the assignee once', () => {
    expect(names(responsibleStaff([li, wang], ['staff'], ['li'], wang))).toEqual(['li', 'wang']);
    expect(names(responsibleStaff([], ['staff'], [], li))).toEqual(['li']);
  });

  it('changes nothing for a kind that does not go to any of the assignee’s roles', () => {
    expect(names(responsibleStaff([zhao], ['manager'], [], li))).toEqual(['zhao']);
  });
});

describe('handing over to a delegate', () => {
  const li = { username: 'li' };
  const wang = { username: 'wang' };
  const zhao = { username: 'zhao' };

  it('gives the delegate what was meant for the person away, once', () => {
    const delegates = new Map([['li', wang]]);
    expect(handOver([li, zhao], delegates).map((r) => r.username)).toEqual(['wang', 'zhao']);
    expect(handOver([li, wang], delegates).map((r) => r.username)).toEqual(['wang']);
  });

  it('changes nothing without a delegate in force, and passes nothing on a second hop', () => {
    expect(handOver([li, zhao], new Map<string, { username: string }>()).map((r) => r.username)).toEqual([
      'li',
      'zhao',
    ]);
    const chain = new Map([
      ['li', wang],
      ['wang', zhao],
    ]);
    expect(handOver([li], chain).map((r) => r.username)).toEqual(['wang']);
  });
});
