/**
 * A schedule as an iCalendar feed (RFC 5545), for `GET /oncall/<schedule>.ics`: one event per stretch of
 * on-call time, optionally only one person's. Times are UTC; lines are CRLF-terminated and folded at 75
 * octets; text is escaped. Pure.
 */

export interface CalendarStretch {
  userId: string;
  start: number;
  end: number;
}

function utc(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets, continuation lines starting with a space. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Never split a UTF-8 sequence: step back over continuation bytes.
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end -= 1;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74;
  }
  return parts.join('\r\n ');
}

export function scheduleCalendar(opts: { scheduleId: string; label: string; stretches: CalendarStretch[]; names: Record<string, string>; generatedAt: number; host: string }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Klaxon//On-call//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(`On call: ${opts.label}`)}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
  ];
  for (const stretch of opts.stretches) {
    const who = opts.names[stretch.userId] ?? stretch.userId;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(`${opts.scheduleId}-${stretch.start}-${stretch.userId}@${opts.host}`)}`,
      `DTSTAMP:${utc(opts.generatedAt)}`,
      `DTSTART:${utc(stretch.start)}`,
      `DTEND:${utc(stretch.end)}`,
      `SUMMARY:${escapeText(`On call (${opts.label}): ${who}`)}`,
      `DESCRIPTION:${escapeText(`${who} is on call for ${opts.label}.`)}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
