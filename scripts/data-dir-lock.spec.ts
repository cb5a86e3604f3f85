import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { DataDirLockedError, lockDataDir } from './data-dir-lock';
import { scratchDir } from '../test/support/scratch';

describe('the data folder lock', () => {
  const dir = () => scratchDir('oms-lock-');

  it('is held by this process and released on demand', () => {
    const dataDir = dir();
    const release = lockDataDir(dataDir);
    expect(readFileSync(path.join(dataDir, 'oms.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(path.join(dataDir, 'oms.lock'))).toBe(false);
  });

  it('refuses a folder held by another live process, with a message saying what to do', async () => {
    const dataDir = dir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(path.join(dataDir, 'oms.lock'), String(other.pid));
      expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dataDir)).toThrow(`another instance (pid ${other.pid}) is already running`);
    } finally {
      other.kill();
      await new Promise((resolve) => other.once('exit', resolve));
    }
  });

  it('takes over a lock left by a process that is gone', () => {
    const dataDir = dir();
    writeFileSync(path.join(dataDir, 'oms.lock'), '2147483646');
    const release = lockDataDir(dataDir);
    expect(readFileSync(path.join(dataDir, 'oms.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
