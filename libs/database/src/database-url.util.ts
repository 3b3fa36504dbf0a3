/** Returns `baseUrl` pointing at database `databaseName`, keeping host, credentials and options. */
export function databaseUrlFor(baseUrl: string, databaseName: string): string {
  assertDatabaseName(databaseName);
  const url = new URL(baseUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

/** The database a URL points at, or `postgres` when it names none. */
export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return name === '' ? 'postgres' : name;
}

/** Database names are used as SQL identifiers, so only a safe subset is accepted. */
export function assertDatabaseName(databaseName: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseName)) {
    throw new Error(`invalid database name "${databaseName}": use lower-case letters, digits and _`);
  }
}
