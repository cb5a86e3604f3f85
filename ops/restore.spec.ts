import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BackupError, MANIFEST_FORMAT, type BackupManifest } from './backup';
import { checkCompatible, unpackArchive, type RestoreTarget } from './restore';
import { scratchDir } from '../test/support/scratch';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function manifestFor(parts: Record<string, Buffer>, changes: Partial<BackupManifest> = {}): BackupManifest {
  return {
    format: MANIFEST_FORMAT,
    id: 'oms-backup-20261126T090000Z-test',
    createdAt: '2026-11-26T09:00:00.000Z',
    trigger: 'command',
    app: { name: 'order-management-system', version: '0.1.0', schema: 'Migration20261126060000_escalation' },
    postgres: { server: '15.18', pgDump: '15.18 (Debian 15.18-0+deb12u1)' },
    temporal: { persistence: 'sqlite', server: '1.29.1' },
    parts: Object.entries(parts).map(([file, data]) => ({
      file,
      role: file === 'app.dump' ? ('app' as const) : ('temporal' as const),
      format: file === 'app.dump' ? ('pg_dump' as const) : ('sqlite' as const),
      bytes: data.length,
      sha256: sha256(data),
    })),
    ...changes,
  };
}

/** Writes a tar.gz of a manifest and parts, as ops/backup.ts lays them out. */
function archive(manifest: BackupManifest, parts: Record<string, Buffer>): string {
  const dir = scratchDir('oms-archive-');
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  for (const [file, data] of Object.entries(parts)) writeFileSync(path.join(dir, file), data);
  const file = path.join(dir, 'backup.tar.gz');
  execFileSync('tar', ['-czf', file, '-C', dir, 'manifest.json', ...Object.keys(parts)]);
  return file;
}

const parts = {
  'app.dump': Buffer.from('PGDMP pretend dump'),
  'temporal.db': Buffer.from('SQLite format 3\0'),
};
const target: RestoreTarget = {
  databaseUrl: 'postgres://postgres:postgres@127.0.0.1:5433/oms',
  temporal: { kind: 'sqlite', file: '/tmp/temporal.db' },
  temporalServer: '1.29.1',
  knownSchemas: ['Migration20261126005918', 'Migration20261126060000_escalation'],
};

describe('reading a backup archive back', () => {
  const into = () => scratchDir('oms-unpacked-');

  it('unpacks an intact archive and verifies every part', async () => {
    const manifest = manifestFor(parts);
    await expect(unpackArchive(archive(manifest, parts), into())).resolves.toEqual(manifest);
  });

  it('refuses an archive whose bytes were damaged, saying it is corrupted', async () => {
    const file = archive(manifestFor(parts), parts);
    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    writeFileSync(file, bytes);
    await expect(unpackArchive(file, into())).rejects.toThrow(/is corrupted/);
  });

  it('refuses a part that does not match its checksum, naming the part', async () => {
    const file = archive(manifestFor(parts), { ...parts, 'app.dump': Buffer.from('PGDMP another dump') });
    await expect(unpackArchive(file, into())).rejects.toThrow(/is corrupted: app.dump has SHA-256/);
  });

  it('refuses a file that is not a backup archive', async () => {
    const file = path.join(into(), 'notes.tar.gz');
    writeFileSync(file, 'hello');
    await expect(unpackArchive(file, into())).rejects.toThrow(BackupError);
  });
});

describe('whether an archive fits this installation', () => {
  it('accepts an archive of the same kind and versions', () => {
    expect(() => checkCompatible(manifestFor(parts), target, '15.18')).not.toThrow();
  });

  it('refuses a database schema this version of the application does not know', () => {
    const manifest = manifestFor(parts, {
      app: { name: 'order-management-system', version: '0.9.0', schema: 'Migration20270101000000_future' },
    });
    expect(() => checkCompatible(manifest, target, '15.18')).toThrow(
      /schema Migration20270101000000_future is unknown to this version of the application \(it was made by order-management-system 0.9.0\)/,
    );
  });

  it("refuses Temporal state of another kind than this installation's", () => {
    const manifest = manifestFor(parts, { temporal: { persistence: 'postgres', server: '1.29.1' } });
    expect(() => checkCompatible(manifest, target, '15.18')).toThrow(
      /holds Temporal state of kind "postgres" but this installation keeps Temporal's state as "sqlite"/,
    );
  });

  it('refuses an archive from a newer Temporal server or a newer pg_dump', () => {
    const newer = manifestFor(parts, { temporal: { persistence: 'sqlite', server: '1.30.0' } });
    expect(() => checkCompatible(newer, target, '15.18')).toThrow(/newer than this installation's 1.29.1/);
    expect(() => checkCompatible(manifestFor(parts), target, '14.9')).toThrow(/pg_restore is 14.9, too old/);
  });
});
