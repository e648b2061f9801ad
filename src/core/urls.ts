/** URLs in settings: which engine a KLAXON_DB names, and how messages and logs may show a URL. */

/** A `postgres://` or `postgresql://` URL names a Postgres database; anything else is a SQLite file. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** The URL with any password in it replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][\w+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
