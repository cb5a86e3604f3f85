import type { EscalationPlan } from '../domain/escalation';
import { EscalationWatch } from './escalation.watch';
import type { Awaiting, OrderSnapshot } from '../domain/order';

const S = 1000;
const start = Date.parse('2026-11-26T08:00:00.000Z');
const plan = (version: number, levels: EscalationPlan['levels']): EscalationPlan => ({
  stage: 'approval',
  version,
  levels,
  calendar: null,
});
const remindManager = plan(1, [{ afterMs: 10 * S, repeatMs: null, notify: ['manager'] }]);
const order = (awaiting: Awaiting | null, since = start): OrderSnapshot =>
  ({
    awaiting,
    awaitingSince: awaiting ? new Date(since).toISOString() : null,
    updatedAt: new Date(since).toISOString(),
    escalation: null,
  }) as OrderSnapshot;

describe('watching an order’s waits', () => {
  it('asks for the policy only when the order enters a watched wait it is not already in', () => {
    const watch = new EscalationWatch();
    expect(watch.stageEntered(order('approval'))).toBe('approval');
    watch.follow(order('approval'), remindManager);
    expect(watch.stageEntered(order('manager_approval'))).toBeNull();
    expect(watch.stageEntered(order('stock'))).toBeNull();
    expect(watch.stageEntered(order('shipment'))).toBe('shipment');
  });

  it('reminds once a level is due, marks it fired, and reports the level reached', () => {
    const watch = new EscalationWatch();
    watch.follow(order('approval'), remindManager);
    expect(watch.untilNext(start + 4 * S)).toBe(6 * S);
    expect(watch.takeDue(order('approval'), start + 5 * S)).toBeNull();
    const due = watch.takeDue(order('approval'), start + 11 * S)!;
    expect(due.reminders).toEqual([
      expect.objectContaining({ notify: ['manager'], escalation: expect.objectContaining({ level: 1 }) }),
    ]);
    expect(due.escalation).toMatchObject({ stage: 'approval', level: 1 });
    expect(watch.takeDue(order('approval'), start + 20 * S)).toBeNull();
    expect(watch.untilNext(start + 20 * S)).toBeNull();
  });

  it('starts a fresh watch after another wait in between, and none without a policy', () => {
    const watch = new EscalationWatch();
    watch.follow(order('approval'), remindManager);
    watch.takeDue(order('approval'), start + 11 * S);
    watch.follow(order('stock'), null);
    expect(watch.untilNext(start)).toBeNull();
    const again = start + 60 * S;
    watch.follow(order('approval', again), remindManager);
    expect(watch.untilNext(again)).toBe(10 * S);
    watch.follow(order('shipment', again), null);
    expect(watch.untilNext(again)).toBeNull();
  });

  it('applies a newer policy to the current wait from its start, and keeps one signalled before the wait', () => {
    const watch = new EscalationWatch();
    watch.policyChanged(plan(2, [{ afterMs: 2 * S, repeatMs: null, notify: ['admin'] }]));
    watch.follow(order('approval'), remindManager);
    expect(watch.untilNext(start)).toBe(2 * S);
    const changes = watch.changes;
    watch.policyChanged(plan(1, [{ afterMs: 50 * S, repeatMs: null, notify: ['staff'] }]));
    expect(watch.changes).toBe(changes);
    watch.policyChanged(plan(3, [{ afterMs: 5 * S, repeatMs: null, notify: ['staff'] }]));
    expect(watch.changes).toBe(changes + 1);
    expect(watch.untilNext(start + S)).toBe(4 * S);
  });

  it('carries its state across continue-as-new', () => {
    const watch = new EscalationWatch();
    watch.follow(order('approval'), remindManager);
    watch.takeDue(order('approval'), start + 11 * S);
    const next = new EscalationWatch(JSON.parse(JSON.stringify(watch.memory)) as typeof watch.memory);
    expect(next.takeDue(order('approval'), start + 12 * S)).toBeNull();
    expect(next.stageEntered(order('approval'))).toBeNull();
  });

  describe('the assignee first', () => {
    const twoLevels = plan(1, [
      { afterMs: 30 * S, repeatMs: null, notify: ['admin'] },
      { afterMs: 10 * S, repeatMs: null, notify: ['manager'] },
    ]);

    it('gives the assignee the first level’s time, then the policy’s levels follow that much later', () => {
      const watch = new EscalationWatch();
      watch.follow(order('approval'), twoLevels);
      expect(watch.assigneeTurn(order('approval'), start + 9 * S)).toBeNull();
      expect(watch.assigneeTurn(order('approval'), start + 10 * S)).toMatchObject({
        occurrence: 'approval@2026-11-26T08:00:00.000Z:assignee',
        escalation: { level: 0, repetition: 1 },
      });
      watch.assigneeReminded(true);
      expect(watch.assigneeTurn(order('approval'), start + 11 * S)).toBeNull();
      expect(watch.takeDue(order('approval'), start + 19 * S)).toBeNull();
      expect(watch.untilNext(start + 10 * S)).toBe(10 * S);
      expect(watch.takeDue(order('approval'), start + 20 * S)!.reminders).toEqual([
        expect.objectContaining({ notify: ['manager'], escalation: expect.objectContaining({ level: 2 }) }),
      ]);
      expect(watch.untilNext(start + 20 * S)).toBe(20 * S);
    });

    it('keeps the policy’s own times when nobody held the order', () => {
      const watch = new EscalationWatch();
      watch.follow(order('approval'), twoLevels);
      watch.assigneeReminded(false);
      expect(watch.assigneeTurn(order('approval'), start + 10 * S)).toBeNull();
      expect(watch.takeDue(order('approval'), start + 10 * S)!.reminders).toHaveLength(1);
    });

    it('never comes once a level has fired in the wait (a wait begun under the earlier rule)', () => {
      const watch = new EscalationWatch();
      watch.follow(order('approval'), twoLevels);
      watch.takeDue(order('approval'), start + 10 * S);
      expect(watch.assigneeTurn(order('approval'), start + 40 * S)).toBeNull();
    });

    it('keeps the lead across continue-as-new and comes again in a fresh wait', () => {
      const watch = new EscalationWatch();
      watch.follow(order('approval'), remindManager);
      watch.assigneeReminded(true);
      const next = new EscalationWatch(JSON.parse(JSON.stringify(watch.memory)) as typeof watch.memory);
      expect(next.untilNext(start)).toBe(20 * S);
      const again = start + 60 * S;
      next.follow(order('shipment', again), null);
      next.follow(order('approval', again), remindManager);
      expect(next.assigneeTurn(order('approval', again), again + 10 * S)).not.toBeNull();
    });
  });
});
