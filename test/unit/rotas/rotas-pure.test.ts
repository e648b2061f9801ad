/** The pure parts of rotas: override arguments, and the signed calendar links and what they serve. */
import { describe, expect, it } from 'vitest';
import { isSignedLink, signedLink } from '../../../src/core/signed-links.ts';
import { scheduleCalendar } from '../../../src/rotas/calendar.ts';
import { parseOverrideArgs } from '../../../src/rotas/override-args.ts';

describe('parseOverrideArgs', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0); // Monday
  const opts = { scheduleIds: ['primary'], timeZone: 'America/New_York', now };

  it('reads times in the asker’s zone, in every form it accepts', () => {
    expect(parseOverrideArgs('<@U01DAVE|dave> 2026-11-24T09:00 2026-11-24T17:00', opts)).toEqual({ userId: 'U01DAVE', from: Date.UTC(2026, 10, 24, 14), to: Date.UTC(2026, 10, 24, 22) });
    expect(parseOverrideArgs('primary <@U01DAVE> 2026-11-24 09:00 12h', opts)).toEqual({ scheduleId: 'primary', userId: 'U01DAVE', from: Date.UTC(2026, 10, 24, 14), to: Date.UTC(2026, 10, 25, 2) });
    expect(parseOverrideArgs('<@U01DAVE> tomorrow 09:00 fri 17:00', opts)).toEqual({ userId: 'U01DAVE', from: Date.UTC(2026, 10, 24, 14), to: Date.UTC(2026, 10, 27, 22) });
  });

  it('says what it could not read', () => {
    expect(parseOverrideArgs('dave tomorrow', opts)).toMatch(/^Say who covers/);
    expect(parseOverrideArgs('<@U01DAVE> someday', opts)).toMatch(/^I could not read the start \(`someday` is not a date/);
    expect(parseOverrideArgs('<@U01DAVE> 2026-02-30T09:00 1h', opts)).toMatch(/is not a real date and time/);
    expect(parseOverrideArgs('<@U01DAVE> today 09:00 2h extra', opts)).toMatch(/did not understand `extra`/);
  });
});

describe('scheduleCalendar', () => {
  it('writes valid iCalendar: CRLF lines, escaped text, folded at 75 octets', () => {
    const ics = scheduleCalendar({ scheduleId: 'primary', label: 'Payments; cards, and more', stretches: [{ userId: 'U1', start: Date.UTC(2026, 10, 30, 9), end: Date.UTC(2026, 11, 7, 9) }], names: { U1: 'Zoë Ångström-Øster with a really very long name indeed' }, generatedAt: 0, host: 'klaxon.example.com' });
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics).toContain('DTSTART:20261130T090000Z\r\nDTEND:20261207T090000Z');
    expect(ics).toContain('Payments\\; cards\\, and more');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics.replace(/\r\n /g, '')).toContain('Zoë Ångström-Øster with a really very long name indeed');
  });
});

describe('signed links', () => {
  it('accepts its own links, in any parameter order, until they expire; refuses anything changed', () => {
    const url = signedLink('secret', 'https://k.example', '/oncall/primary.ics', { user: 'U1' }, 2_000_000);
    const path = url.replace('https://k.example', '');
    expect(isSignedLink('secret', path, 1_000_000)).toBe(true);
    expect(isSignedLink('secret', path, 3_000_000)).toBe(false);
    expect(isSignedLink('other', path, 1_000_000)).toBe(false);
    expect(isSignedLink('secret', path.replace('primary', 'secondary'), 1_000_000)).toBe(false);
    expect(isSignedLink('secret', path.replace('user=U1', 'user=U2'), 1_000_000)).toBe(false);
    const [base, query] = path.split('?');
    expect(isSignedLink('secret', `${base}?${query!.split('&').reverse().join('&')}`, 1_000_000)).toBe(true);
  });
});
