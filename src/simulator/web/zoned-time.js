/**
 * Times in the chosen person's own time zone, as their Slack client shows them: message times, the dates of
 * `<!date^…>` tokens, and the wall-clock values of date and time pickers.
 */

const formatters = new Map();

function formatter(timeZone, options) {
  const key = `${timeZone} ${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, new Intl.DateTimeFormat('en-GB', { timeZone, ...options }));
  return formatters.get(key);
}

/** The wall clock in `timeZone` at epoch `ms`: { year, month, day, hour, minute, second, weekday }. */
export function wallClock(ms, timeZone) {
  const parts = formatter(timeZone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'long', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const part = (type) => parts.find((p) => p.type === type)?.value ?? '';
  return { year: Number(part('year')), month: Number(part('month')), day: Number(part('day')), hour: Number(part('hour')), minute: Number(part('minute')), second: Number(part('second')), weekday: part('weekday') };
}

/** Epoch ms of a wall-clock time in `timeZone` (the earlier one when clocks go back). */
export function epochOfWallClock(wall, timeZone) {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0);
  let guess = asUtc;
  // Two rounds settle the zone's offset, even next to a daylight-saving change.
  for (let round = 0; round < 2; round += 1) {
    const seen = wallClock(guess, timeZone);
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second);
    guess += asUtc - seenAsUtc;
  }
  return guess;
}

const pad = (n) => String(n).padStart(2, '0');

/** `14:05` */
export function clockTime(ms, timeZone) {
  const wall = wallClock(ms, timeZone);
  return `${pad(wall.hour)}:${pad(wall.minute)}`;
}

/** `2026-11-23` */
export function isoDate(ms, timeZone) {
  const wall = wallClock(ms, timeZone);
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** `2026-11-23T14:05`, the value of an `<input type="datetime-local">`. */
export function localInputValue(ms, timeZone) {
  return `${isoDate(ms, timeZone)}T${clockTime(ms, timeZone)}`;
}

/** Epoch ms of an `<input type="datetime-local">` value read in `timeZone`; null when empty or invalid. */
export function epochOfLocalInput(value, timeZone) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number);
  return epochOfWallClock({ year, month, day, hour, minute, second: 0 }, timeZone);
}

/** `Monday 23 November 2026` */
export function longDate(ms, timeZone) {
  return formatter(timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(ms));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function ordinal(day) {
  const tens = day % 100;
  if (tens >= 11 && tens <= 13) return `${day}th`;
  return `${day}${['th', 'st', 'nd', 'rd'][day % 10] ?? 'th'}`;
}

/** today / yesterday / tomorrow, when the date is one of those for the reader. */
function prettyDay(ms, now, timeZone) {
  const day = isoDate(ms, timeZone);
  const dayMs = 86_400_000;
  if (day === isoDate(now, timeZone)) return 'today';
  if (day === isoDate(now - dayMs, timeZone)) return 'yesterday';
  if (day === isoDate(now + dayMs, timeZone)) return 'tomorrow';
  return null;
}

function ago(ms, now) {
  const seconds = Math.round((now - ms) / 1000);
  const size = Math.abs(seconds);
  const [count, unit] = size < 60 ? [size, 'second'] : size < 3600 ? [Math.floor(size / 60), 'minute'] : size < 86_400 ? [Math.floor(size / 3600), 'hour'] : [Math.floor(size / 86_400), 'day'];
  if (size < 10) return 'just now';
  const amount = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return seconds >= 0 ? `${amount} ago` : `in ${amount}`;
}

/**
 * A `<!date^seconds^format|fallback>` token's format (https://api.slack.com/reference/surfaces/formatting#date-formatting)
 * filled in for the reader: their zone, and "today" relative to the simulator's clock.
 */
export function slackDate(seconds, format, timeZone, now) {
  const ms = seconds * 1000;
  const wall = wallClock(ms, timeZone);
  const month = MONTHS[wall.month - 1];
  const shortMonth = month.slice(0, 3);
  const date = `${month} ${ordinal(wall.day)}, ${wall.year}`;
  const dateShort = `${shortMonth} ${wall.day}, ${wall.year}`;
  const dateLong = `${wall.weekday}, ${date}`;
  const values = {
    date_num: isoDate(ms, timeZone),
    date,
    date_short: dateShort,
    date_long: dateLong,
    date_pretty: prettyDay(ms, now, timeZone) ?? date,
    date_short_pretty: prettyDay(ms, now, timeZone) ?? dateShort,
    date_long_pretty: prettyDay(ms, now, timeZone) ?? dateLong,
    time: clockTime(ms, timeZone),
    time_secs: `${clockTime(ms, timeZone)}:${pad(wall.second)}`,
    ago: ago(ms, now),
  };
  return format.replace(/\{([a-z_]+)\}/g, (token, name) => values[name] ?? token);
}
