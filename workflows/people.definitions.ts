/**
 * Who uses the system and in which language: defined once here, imported by the database entities, the
 * API, the activities and the workflows alike. Pure definitions only.
 */

export const ROLES = ['admin', 'manager', 'staff', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (name: string): name is Role => (ROLES as readonly string[]).includes(name);

/** The languages of the console, the notifications and the documents; the first is the default. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
