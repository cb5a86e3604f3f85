/**
 * Which pages each role may open, from the contract's role table. What a person may do with one order
 * is never decided here: the API sends it as the order's `actions`.
 */
import type { Role } from './client';

export const ANYONE: Role[] = ['admin', 'manager', 'staff', 'auditor'];
export const OPERATORS: Role[] = ['admin', 'manager', 'staff'];
export const MANAGERS: Role[] = ['admin', 'manager'];
export const OVERSEERS: Role[] = ['admin', 'manager', 'auditor'];
export const ADMINS: Role[] = ['admin'];

export function hasRole(roles: readonly string[], allowed: readonly Role[]): boolean {
  return roles.some((role) => (allowed as readonly string[]).includes(role));
}
