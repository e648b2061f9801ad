/** URLs in settings: which engine a KLAXON_DB names, and how messages and logs may show a URL. */

/** A `postgres://` or `postgresql://` URL names a Postgres database; anything else is a SQLite file. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** A Postgres URL that names a host and a database. */
export function isUsablePostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/** The URL with any password in it replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][\w+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
