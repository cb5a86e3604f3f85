import { approvalLimitOf, editNeedsApproval, mayApprove, requiredApproval } from './approval.rules';
import type { Actor, ApprovalRule } from './order';

const rule: ApprovalRule = {
  version: 1,
  autoApproveBelow: 10000,
  staffApprovalLimit: 100000,
  currency: 'CNY',
};
const actor = (...roles: string[]): Actor => ({ id: roles.join(), username: roles.join(), roles });

describe('approval rules', () => {
  it('lets the system approve at or below autoApproveBelow, staff up to their limit, a manager above', () => {
    expect(requiredApproval(10000, 'CNY', rule)).toBe('auto');
    expect(requiredApproval(10001, 'CNY', rule)).toBe('staff');
    expect(requiredApproval(100000, 'CNY', rule)).toBe('staff');
    expect(requiredApproval(100001, 'CNY', rule)).toBe('manager');
  });

  it('sends orders in another currency to a manager, whatever the amount', () => {
    expect(requiredApproval(1, 'USD', rule)).toBe('manager');
  });

  it('lets staff approve staff-level orders only; managers and admins approve both', () => {
    expect(mayApprove(actor('staff'), 'staff')).toBe(true);
    expect(mayApprove(actor('staff'), 'manager')).toBe(false);
    expect(mayApprove(actor('manager'), 'manager')).toBe(true);
    expect(mayApprove(actor('admin'), 'manager')).toBe(true);
    expect(mayApprove(actor('auditor'), 'staff')).toBe(false);
    expect(approvalLimitOf(actor('staff'), rule)).toBe(100000);
    expect(approvalLimitOf(actor('auditor', 'manager'), rule)).toBe(Infinity);
  });

  it('sends an edit back for approval when it raises the total above what was approved or the editor may approve', () => {
    expect(editNeedsApproval(50000, 60000, 50000, actor('manager'), rule)).toBe(true);
    expect(editNeedsApproval(50000, 40000, 50000, actor('staff'), rule)).toBe(false);
    // A manager approved 200000; staff raise a lowered order back above their own limit.
    expect(editNeedsApproval(150000, 180000, 200000, actor('staff'), rule)).toBe(true);
    expect(editNeedsApproval(150000, 180000, 200000, actor('manager'), rule)).toBe(false);
    expect(editNeedsApproval(50000, 50000, 50000, actor('staff'), rule)).toBe(false);
  });
});
