/**
 * Staff actions signed by the API for the worker. Whoever reaches Temporal could otherwise send an order's
 * workflow an update naming any actor with any roles; the worker carries out only actions whose signature
 * it verifies (workflows/order.signed-commands.ts). The signature is an HMAC, under a key the API and the
 * workers share and Temporal never sees, over the order's workflow, the action, the input and the time it
 * was signed, so a signed action read from a history cannot be sent to another order, as another action,
 * with other input, or more than a few minutes later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CommandSignature } from '../domain/order';
import { keyById, type KeyRing } from './keys';

/** How long a signed action stays acceptable: the API's update waits a minute; clocks may differ a little. */
export const SIGNATURE_LIFETIME_MS = 5 * 60 * 1000;

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function mac(secret: string, workflowId: string, action: string, input: object, issuedAt: string): string {
  return createHmac('sha256', secret)
    .update(`oms-command:v1\n${workflowId}\n${action}\n${issuedAt}\n${canonicalJson(input)}`)
    .digest('base64url');
}

/** The input with its signature, for the action sent to the order's workflow `workflowId`. */
export function signCommand<T extends object>(
  keys: KeyRing,
  workflowId: string,
  action: string,
  input: T,
  now: Date,
): T & { signature: CommandSignature } {
  const issuedAt = now.toISOString();
  const { id, secret } = keys.current;
  return {
    ...input,
    signature: { issuedAt, keyId: id, mac: mac(secret, workflowId, action, input, issuedAt) },
  };
}

/** Why a signed action is refused, or null when its signature holds for this workflow, action and input. */
export function commandRefusal(
  keys: KeyRing,
  workflowId: string,
  action: string,
  signed: { signature?: unknown } & object,
  now: Date,
): string | null {
  const { signature, ...input } = signed;
  const given = signature as Partial<CommandSignature> | undefined;
  if (!given || typeof given !== 'object') return 'the action is not signed by the API';
  const key = typeof given.keyId === 'string' ? keyById(keys, given.keyId) : undefined;
  if (!key || typeof given.issuedAt !== 'string' || typeof given.mac !== 'string')
    return 'the action is signed with a key this worker does not have';
  const expected = Buffer.from(mac(key.secret, workflowId, action, input, given.issuedAt));
  const actual = Buffer.from(given.mac);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    return 'the signature of the action does not match it';
  const age = now.getTime() - Date.parse(given.issuedAt);
  if (!(Math.abs(age) <= SIGNATURE_LIFETIME_MS)) return 'the signature of the action has expired';
  return null;
}
