/**
 * Links to Klaxon's own web pages that prove they were handed out by Klaxon: `?sig=` is an HMAC of the path and
 * the other query parameters (and of `exp`, an expiry in epoch seconds, when the link expires). The secret is
 * made once per database, so links survive restarts and need no extra configuration.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { settings } from '../../db/schema.ts';
import { exec, one, type Db } from './db.ts';

const SECRET_NAME = 'link_signing_secret';

/** The signing secret, created on first use. */
export async function linkSigningSecret(db: Db): Promise<string> {
  const existing = await one(db, db.select().from(settings).where(eq(settings.name, SECRET_NAME)));
  if (existing) return existing.value;
  await exec(db, db.insert(settings).values({ name: SECRET_NAME, value: randomBytes(32).toString('hex') }).onConflictDoNothing());
  return (await one(db, db.select().from(settings).where(eq(settings.name, SECRET_NAME))))!.value;
}

function signature(secret: string, pathAndQuery: string): string {
  return createHmac('sha256', secret).update(pathAndQuery).digest('base64url').slice(0, 32);
}

/** What is signed: the path and the query without `sig`, parameters sorted so their order does not matter. */
function canonical(url: URL): string {
  const params = [...url.searchParams.entries()].filter(([name]) => name !== 'sig').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${url.pathname}?${new URLSearchParams(params).toString()}`;
}

/** `base` + `path` with its parameters, signed; `expiresAt` (epoch ms) makes it stop working then. */
export function signedLink(secret: string, base: string, path: string, params: Record<string, string> = {}, expiresAt?: number): string {
  const url = new URL(path, 'http://klaxon.invalid');
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  if (expiresAt !== undefined) url.searchParams.set('exp', String(Math.floor(expiresAt / 1000)));
  url.searchParams.set('sig', signature(secret, canonical(url)));
  return `${base}${url.pathname}${url.search}`;
}

/** Whether a request URL (path and query, as received) carries a valid, unexpired signature. */
export function isSignedLink(secret: string, requestUrl: string, now: number): boolean {
  const url = new URL(requestUrl, 'http://klaxon.invalid');
  const given = url.searchParams.get('sig');
  if (!given) return false;
  const expected = Buffer.from(signature(secret, canonical(url)));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return false;
  const exp = url.searchParams.get('exp');
  return exp === null || Number(exp) * 1000 > now;
}
