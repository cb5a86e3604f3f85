/** A small JSON client for the API under test. */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A client for the API under test; `actor` names who acts (see TEST_ACTOR_HEADER in stack.ts). */
export function apiClient(baseUrl: string, actor?: { username: string; roles: string[] }) {
  const actorHeader: Record<string, string> = actor
    ? { 'x-test-actor': JSON.stringify({ id: `user-${actor.username}`, ...actor }) }
    : {};
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...actorHeader, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
  return {
    call,
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    post: <T = Record<string, unknown>>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
      call<T>('POST', path, body, headers),
    patch: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('PATCH', path, body),
    put: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('PUT', path, body),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
