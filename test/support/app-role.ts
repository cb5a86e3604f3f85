/** The application's own role on the test database: rows only, as in production. */
export function appDatabaseUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = 'oms_app';
  url.password = 'oms_app';
  return url.toString();
}
