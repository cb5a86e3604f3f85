/**
 * A request's path as the log keeps it: no query string (it may hold search text), and no customer's link
 * token (`/track/<token>`, `/q/<token>`: whoever reads the logs could follow it to the order, or accept the
 * quote).
 */
export function loggedPath(url: string): string {
  const path = url.split('?', 1)[0] ?? url;
  return path.replace(/^\/(track|q)\/[^/]+/, '/$1/…');
}
