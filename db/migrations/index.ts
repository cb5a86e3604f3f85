import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126005918 } from './Migration20261126005918';

/** Every migration in order; listed explicitly so compiled and bundled builds find them without globbing. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261126005918', class: Migration20261126005918 },
];
