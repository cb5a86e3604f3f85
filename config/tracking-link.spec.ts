import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  orderIdOfTrackingToken,
  trackingKey,
  trackingLinkExpired,
  trackingToken,
  trackingUrl,
} from './tracking-link';
import { scratchDir } from '../test/support/scratch';

const KEY = 'tracking-key-for-tests-0123456789abcdef';
const ORDER = '7f0c2f7e-7a6b-4a8e-9b1f-2d3c4b5a6978';

describe('tracking links', () => {
  it('accept the token signed for an order and name that order', () => {
    expect(orderIdOfTrackingToken(KEY, trackingToken(KEY, ORDER))).toBe(ORDER);
  });

  it('refuse a token with any character changed, a token for another key, and malformed tokens', () => {
    const token = trackingToken(KEY, ORDER);
    // Every other character in every place, including the last one, whose low bits carry no signature.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let index = 0; index < token.length; index++) {
      for (const swapped of alphabet) {
        if (swapped === token[index]) continue;
        const tampered = token.slice(0, index) + swapped + token.slice(index + 1);
        expect(orderIdOfTrackingToken(KEY, tampered)).toBeNull();
      }
    }
    expect(orderIdOfTrackingToken('another-key-0123456789abcdef0123456', token)).toBeNull();
    const otherOrder = ORDER.replace('7f0c', '7f0d');
    expect(orderIdOfTrackingToken(KEY, `${otherOrder}.${token.split('.')[1]}`)).toBeNull();
    for (const bad of ['', '.', ORDER, `${ORDER}.`, `${token}.x`, token.slice(0, -1), 'x'.repeat(5000)])
      expect(orderIdOfTrackingToken(KEY, bad)).toBeNull();
  });

  it('build the link from the public URL', () => {
    const url = trackingUrl({ publicUrl: 'https://shop.example', linkDays: 30, secret: KEY }, KEY, ORDER);
    expect(url).toBe(`https://shop.example/track/${trackingToken(KEY, ORDER)}`);
  });

  it('stop working the set number of days after the order ended, never while it is under way', () => {
    const ended = new Date('2026-11-01T00:00:00Z');
    expect(trackingLinkExpired(null, 30, new Date('2030-01-01T00:00:00Z'))).toBe(false);
    expect(trackingLinkExpired(ended, 30, new Date('2026-12-01T00:00:00Z'))).toBe(false);
    expect(trackingLinkExpired(ended, 30, new Date('2026-12-01T00:00:01Z'))).toBe(true);
  });

  it('use the configured secret, or generate one owner-only file that later calls read back', () => {
    expect(
      trackingKey({ dataDir: '/nonexistent', tracking: { secret: KEY, linkDays: 1, publicUrl: '' } }),
    ).toBe(KEY);
    const dataDir = scratchDir('tracking-key-');
    const config = { dataDir, tracking: { secret: undefined, linkDays: 1, publicUrl: '' } };
    const first = trackingKey(config);
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(trackingKey(config)).toBe(first);
    const file = path.join(dataDir, 'tracking-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuse an empty secret file at start, naming the file, rather than sign with an empty key', () => {
    const dataDir = scratchDir('tracking-key-');
    writeFileSync(path.join(dataDir, 'tracking-secret'), '\n', { mode: 0o600 });
    expect(() =>
      trackingKey({ dataDir, tracking: { secret: undefined, linkDays: 1, publicUrl: '' } }),
    ).toThrow(/tracking-secret.* is empty/);
  });
});
