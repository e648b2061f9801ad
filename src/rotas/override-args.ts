/**
 * Reads `/incident oncall override [schedule] <@user> <from> <to>` as Slack sends it. Times are wall-clock
 * times in the asker's zone: `2026-11-24T09:00`, `2026-11-24 09:00`, `today 18:00`, `tomorrow 09:00`, `fri 17:00`
 * (the next Friday, today included), a bare date (00:00); `to` may also be a length: `12h`, `2d`, `90m`.
 * Pure: the caller passes the zone and `now`.
 */
import { escape, parseMention, typedText } from '../core/mrkdwn.ts';
import { localParts, naiveOf, naiveToInstant } from '../core/wall-clock.ts';

export interface OverrideArgs {
  scheduleId?: string;
  userId: string;
  from: number;
  to: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})t(\d{2}):(\d{2})$/i;
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const LENGTH = /^\+?(\d+)(m|h|d)$/;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const LENGTH_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const OVERRIDE_USAGE = '`/incident oncall override [schedule] @person <from> <to>`, e.g. `/incident oncall override @dave tomorrow 09:00 fri 17:00` or `… @dave 2026-11-24T09:00 24h`';

/** The parsed override, or a sentence saying what is wrong. */
export function parseOverrideArgs(text: string, opts: { scheduleIds: readonly string[]; timeZone: string; now: number }): OverrideArgs | string {
  const words = text.split(/\s+/).filter(Boolean);
  let scheduleId: string | undefined;
  if (words[0] && opts.scheduleIds.includes(words[0].toLowerCase())) scheduleId = words.shift()!.toLowerCase();
  const userId = parseMention(words.shift() ?? '');
  if (!userId) return `Say who covers, as an @mention: ${OVERRIDE_USAGE}.`;
  const from = readTime(words, opts.timeZone, opts.now);
  if (typeof from === 'string') return `I could not read the start (${from}): ${OVERRIDE_USAGE}.`;
  const length = LENGTH.exec(words[0] ?? '');
  let to: number | string;
  if (length) {
    words.shift();
    to = from + Number(length[1]) * LENGTH_MS[length[2] as keyof typeof LENGTH_MS];
  } else {
    to = readTime(words, opts.timeZone, opts.now);
  }
  if (typeof to === 'string') return `I could not read the end (${to}): ${OVERRIDE_USAGE}.`;
  if (words.length) return `I did not understand ${shown(words.join(' '))} at the end: ${OVERRIDE_USAGE}.`;
  return { ...(scheduleId ? { scheduleId } : {}), userId, from, to };
}

/** Words as typed, quoted and escaped for the answer: a mention or link typed is shown, never live. */
function shown(slackText: string): string {
  return `\`${escape(typedText(slackText))}\``;
}

/** Takes one time (one or two words) off the front of `words`. */
function readTime(words: string[], timeZone: string, now: number): number | string {
  const first = (words.shift() ?? '').toLowerCase();
  if (!first) return 'it is missing';
  const dateTime = DATE_TIME.exec(first);
  if (dateTime) return local(timeZone, +dateTime[1]!, +dateTime[2]!, +dateTime[3]!, +dateTime[4]!, +dateTime[5]!) ?? `${shown(first)} is not a real date and time`;
  const day = dayOf(first, timeZone, now);
  if (!day) return `${shown(first)} is not a date such as 2026-11-24, today, tomorrow or fri`;
  const time = TIME.exec(words[0] ?? '');
  if (time) words.shift();
  return local(timeZone, day.year, day.month, day.day, time ? +time[1]! : 0, time ? +time[2]! : 0) ?? `${shown(first)} is not a real date`;
}

function dayOf(word: string, timeZone: string, now: number): { year: number; month: number; day: number } | undefined {
  const date = DATE.exec(word);
  if (date) return { year: +date[1]!, month: +date[2]!, day: +date[3]! };
  const today = localParts(now, timeZone);
  const offset = word === 'today' ? 0 : word === 'tomorrow' ? 1 : WEEKDAYS.includes(word.slice(0, 3)) && /^[a-z]+$/.test(word) ? (WEEKDAYS.indexOf(word.slice(0, 3)) - today.weekday + 7) % 7 : undefined;
  if (offset === undefined) return undefined;
  const shifted = new Date(naiveOf(today.year, today.month, today.day) + offset * 86_400_000);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function local(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): number | undefined {
  const naive = naiveOf(year, month, day, hour, minute);
  const check = new Date(naive);
  if (check.getUTCMonth() + 1 !== month || check.getUTCDate() !== day) return undefined;
  return naiveToInstant(naive, timeZone);
}
