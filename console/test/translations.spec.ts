import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DELIVERY_KINDS } from '../../domain/notifications';
import { AWAITING_VALUES, ORDER_STATUSES } from '../../domain/order';
import { IMPORT_COLUMNS } from '../../domain/order-import';
import { ORDER_ACTIONS } from '../../domain/order.state';
import { ROLES } from '../../domain/people';
import { QUOTE_STATUSES } from '../../domain/quote';
import { RETURN_ACTIONS, RETURN_RESOLUTIONS, RETURN_STATUSES, UNIT_CONDITIONS } from '../../domain/return';
import { TASK_KINDS, TASK_SCOPES } from '../../domain/tasks';
import { WAIT_BUCKETS, WAIT_ROWS } from '../../domain/waiting';

/** Every key either language has, the other has too; every key the code names exists in both. */
const dir = path.join(__dirname, '..', 'src', 'i18n', 'translations');
const load = (file: string) =>
  JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
const locales = { 'zh-CN': load('zh-CN.json'), en: load('en.json') };

function leaves(tree: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(tree).flatMap(([key, value]): [string, unknown][] =>
    typeof value === 'object' && value !== null
      ? leaves(value as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value]],
  );
}
const keys = (tree: Record<string, unknown>) => leaves(tree).map(([key]) => key);

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) return sources(file);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [file] : [];
  });
}

/** Keys built at run time from a value (`status.${order.status}`): every value they can take. */
const ENUMERATED: Record<string, string[]> = {
  status: [...ORDER_STATUSES],
  'quotes.status': [...QUOTE_STATUSES],
  'returns.status': [...RETURN_STATUSES],
  'returns.actions': [...RETURN_ACTIONS],
  'returns.confirm': ['approve', 'close'],
  'returns.resolutions': [...RETURN_RESOLUTIONS],
  'returns.conditions': [...UNIT_CONDITIONS],
  'returns.receive.unitsOf': [...UNIT_CONDITIONS],
  awaiting: [...AWAITING_VALUES, 'none'],
  roles: [...ROLES],
  'orders.actions': [...ORDER_ACTIONS],
  'orders.confirm': ['approve', 'reject', 'cancel', 'ship', 'complete', 'retryPayment'],
  'tasks.kinds': [...TASK_KINDS],
  'tasks.scopes': [...TASK_SCOPES],
  'tasks.scopeHelp': [...TASK_SCOPES],
  'tasks.actions': [...ORDER_ACTIONS, ...RETURN_ACTIONS],
  'waiting.subjects': ['order', 'return'],
  'waiting.buckets': WAIT_BUCKETS.map((bucket) => bucket.key),
  'waiting.stages': WAIT_ROWS.map((row) => `${row.subject}.${row.stage}`),
  'orders.bulk.actions': ['approve', 'reject', 'cancel', 'ship', 'complete', 'assign'],
  'layout.stream': ['connecting', 'live', 'reconnecting'],
  'nav.group': ['work', 'data', 'manage', 'audit', 'admin'],
  'settings.escalation.stages': ['approval', 'shipment', 'delivery'],
  'notifications.kinds': [...DELIVERY_KINDS],
  payment: ['captured', 'failed', 'refunded'],
  'deliveries.destinations.states': ['closed', 'half_open', 'open'],
  'deliveries.destinations.stateHelp': ['closed', 'half_open', 'open'],
  'profile.emailNotifications.options': ['all', 'assigned', 'digest', 'none'],
  'profile.emailNotifications.help': ['all', 'assigned', 'digest', 'none'],
  'imports.columns': [...IMPORT_COLUMNS],
};

describe('the console translations', () => {
  const zh = new Set(keys(locales['zh-CN']));
  const en = new Set(keys(locales.en));

  it('have the same keys in Chinese and English', () => {
    expect([...zh].filter((key) => !en.has(key))).toEqual([]);
    expect([...en].filter((key) => !zh.has(key))).toEqual([]);
  });

  it('have no empty text', () => {
    for (const tree of Object.values(locales)) {
      const empty = leaves(tree)
        .filter(([, value]) => typeof value !== 'string' || value.trim() === '')
        .map(([key]) => key);
      expect(empty).toEqual([]);
    }
  });

  it('hold every key the code names, and every value of the keys it builds', () => {
    const named = new Set<string>();
    for (const file of sources(path.join(__dirname, '..', 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([\w.-]+)'/g)) named.add(match[1]!);
      for (const match of text.matchAll(/\bkey: '([a-z]+\.[\w.]+)'/g)) named.add(match[1]!);
    }
    for (const [prefix, values] of Object.entries(ENUMERATED))
      for (const value of values) named.add(`${prefix}.${value}`);
    expect(named.size).toBeGreaterThan(150);
    const missing = [...named].filter((key) => !zh.has(key) || !en.has(key));
    expect(missing).toEqual([]);
  });
});
