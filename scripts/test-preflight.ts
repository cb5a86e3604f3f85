/**
 * `npm test` (and the integration and browser tiers) need a few system packages beside Node: this names the
 * missing ones and how to get them, before a test fails on them one by one in the middle of the run.
 * usage: test-preflight [integration] [browser]   (no argument: every tier)
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { findTemporalBinary } from './temporal-server';

interface Need {
  what: string;
  /** Debian's package, when one provides it. */
  debian: string | null;
  present: () => boolean;
  tiers: ('integration' | 'browser')[];
  /** Without it the tests may still run (another way exists): only say so. */
  optional?: true;
}

const onPath = (command: string) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** The major version a `--version` line names (`pg_dump (PostgreSQL) 15.18` → 15), or null. */
function majorVersion(command: string): number | null {
  try {
    const match = /(\d+)\.\d+/.exec(execFileSync(command, ['--version'], { encoding: 'utf8' }));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

const NEEDS: Need[] = [
  {
    what: 'chromium (the console tests drive it; or set OMS_CHROMIUM to another Chromium)',
    debian: 'chromium',
    present: () => existsSync(process.env.OMS_CHROMIUM ?? '/usr/bin/chromium'),
    tiers: ['browser'],
  },
  {
    what: 'pg_dump and pg_restore of PostgreSQL 15 (backups of the embedded PostgreSQL 15)',
    debian: 'postgresql-client-15',
    present: () => onPath('pg_restore') && majorVersion('pg_dump') === 15,
    tiers: ['integration'],
  },
  {
    what: "sqlite3 (the online backup of the Temporal dev server's database)",
    debian: 'sqlite3',
    present: () => onPath('sqlite3'),
    tiers: ['integration'],
  },
  {
    what: 'a font with Chinese glyphs for PDF documents (or set OMS_PDF_FONT)',
    debian: 'fonts-wqy-microhei',
    present: () => existsSync(process.env.OMS_PDF_FONT ?? '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'),
    tiers: ['integration', 'browser'],
  },
  {
    what: 'the Temporal CLI: a `temporal` binary on PATH or in OMS_TEMPORAL_BIN, or Go to build it (npm run temporal:install); without them the SDK downloads its dev server, which needs internet access',
    debian: null,
    optional: true,
    present: () => {
      try {
        return findTemporalBinary(process.env.OMS_TEMPORAL_BIN || undefined) !== null || onPath('go');
      } catch {
        return false;
      }
    },
    tiers: ['integration', 'browser'],
  },
];

function main(): void {
  const tiers = process.argv.slice(2);
  const missing = NEEDS.filter(
    (need) => (tiers.length === 0 || need.tiers.some((tier) => tiers.includes(tier))) && !need.present(),
  );
  for (const need of missing.filter((need) => need.optional)) console.error(`note: missing ${need.what}`);
  const required = missing.filter((need) => !need.optional);
  if (required.length === 0) return;
  const packages = required.flatMap((need) => (need.debian ? [need.debian] : []));
  console.error('The tests need system packages that are missing here:');
  for (const need of required) console.error(`  - ${need.what}`);
  if (packages.length > 0)
    console.error(`On Debian or Ubuntu: sudo apt-get install -y ${packages.join(' ')}  (.ci/run does this)`);
  process.exit(1);
}

main();
