/**
 * The request id follows one HTTP request into everything it causes: the API's log lines, the Temporal
 * start/update/signal it sends (as a header), and the workflow's and activities' log lines.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export { REQUEST_ID_HEADER_KEY } from '../workflows/request-id';

/** The HTTP header a caller may send and always gets back. */
export const REQUEST_ID_HTTP_HEADER = 'X-Request-Id';

/** Letters, digits and `._:-`, up to 128 characters: enough for UUIDs and trace ids, nothing to inject. */
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's id when it is acceptable, otherwise a new one. */
export function acceptRequestId(raw: string | string[] | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value !== undefined && ACCEPTABLE.test(value) ? value : randomUUID();
}

const storage = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` with this request id as the current one. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}

/** The id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
