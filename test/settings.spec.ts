import path from 'node:path';
import { launch } from './support/launcher';

/** A bad setting stops each process at start with a message naming the variable, before anything runs. */
const dist = path.join(__dirname, '..', 'dist');

describe('a bad setting', () => {
  it.each([
    [
      'npm start',
      'scripts/start.js',
      { OMS_WORKER_PORT: 'seventy' },
      /OMS_WORKER_PORT must be a TCP port between 1 and 65535, got "seventy"/,
    ],
    [
      'npm start',
      'scripts/start.js',
      { OMS_TEMPORAL: 'mysql' },
      /OMS_TEMPORAL must be one of dev, postgres, got "mysql"/,
    ],
    [
      'the API',
      'api/main.js',
      { OMS_LOG_FORMAT: 'xml' },
      /OMS_LOG_FORMAT must be one of json, pretty, got "xml"/,
    ],
    [
      'a worker',
      'worker/main.js',
      { OMS_BACKUP_CRON: 'every day' },
      /OMS_BACKUP_CRON must be a cron expression of five fields/,
    ],
    [
      'npm run backup',
      'scripts/backup.js',
      { OMS_BACKUP_KEEP: 'all' },
      /OMS_BACKUP_KEEP must be a positive whole number, got "all"/,
    ],
  ])('stops %s (%s) with a message naming it', async (_name, entry, bad, message) => {
    const running = launch({ PATH: process.env.PATH, ...bad }, path.join(dist, entry));
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(message);
  });
});
