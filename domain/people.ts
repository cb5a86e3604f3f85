/**
 * Who uses the system and in which language: defined once here, imported by the database entities, the
 * API, the activities and the workflows alike. Pure definitions only.
 */

export const ROLES = ['admin', 'manager', 'staff', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (name: string): name is Role => (ROLES as readonly string[]).includes(name);

/** The rows of the contract's role table, named once for the API's guards and the console's navigation. */
export const ANYONE: readonly Role[] = ['admin', 'manager', 'staff', 'auditor'];
export const OPERATORS: readonly Role[] = ['admin', 'manager', 'staff'];
export const MANAGERS: readonly Role[] = ['admin', 'manager'];
export const OVERSEERS: readonly Role[] = ['admin', 'manager', 'auditor'];
export const ADMINS: readonly Role[] = ['admin'];

/** Whether any of `roles` is one of `allowed`. */
export function hasRole(roles: readonly string[], allowed: readonly Role[]): boolean {
  return roles.some((role) => (allowed as readonly string[]).includes(role));
}

/** The languages of the console, the notifications and the documents; the first is the default. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
