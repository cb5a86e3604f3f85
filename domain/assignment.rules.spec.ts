import { memberForTurn, ruleFor, type AssignmentRule } from './assignment.rules';

const rules: AssignmentRule[] = [
  { above: 1_000_000, currency: 'CNY', userId: 'big-deals' },
  { above: 100_000, currency: 'CNY', role: 'staff' },
];

describe('assignment rules for new orders', () => {
  it('takes the first rule, in the manager’s order, whose amount the total is above', () => {
    expect(ruleFor(rules, { total: 2_000_000, currency: 'CNY' })).toBe(rules[0]);
    expect(ruleFor(rules, { total: 1_000_000, currency: 'CNY' })).toBe(rules[1]);
    expect(ruleFor(rules, { total: 100_000, currency: 'CNY' })).toBeNull();
    expect(ruleFor(rules, { total: 2_000_000, currency: 'USD' })).toBeNull();
    expect(ruleFor([], { total: 2_000_000, currency: 'CNY' })).toBeNull();
  });

  it('gives a role’s turns to its members in username order, around and around', () => {
    const members = [{ username: 'wang' }, { username: 'li' }, { username: 'zhao' }];
    const turns = [1, 2, 3, 4, 5, 6, 7].map((turn) => memberForTurn(members, turn)!.username);
    expect(turns).toEqual(['li', 'wang', 'zhao', 'li', 'wang', 'zhao', 'li']);
    expect(memberForTurn([], 1)).toBeNull();
  });
});
