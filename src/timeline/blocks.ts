/** Pure Block Kit for the timeline: the page `/incident timeline` shows, and the note modal. */
import type { KnownBlock, ModalView } from '@slack/types';
import { actions, button, context, fitMrkdwn, input, modal, section } from '../core/blockkit.ts';
import { escape, mention } from '../core/mrkdwn.ts';
import { formatClockInZone, formatDayInZone, zoneName } from '../core/wall-clock.ts';
import { incidentRef } from '../incidents/model.ts';
import { entryMrkdwn, type Entry } from './entries.ts';
import { ids } from './ids.ts';

/** An ephemeral message holds 50 blocks: a page keeps room for its header and the Older/Newer buttons. */
export const BLOCKS_PER_PAGE = 45;
/** An entry shows this much of its text; the export has all of it. */
const ENTRY_MAX = 900;

export const NOTE_MAX = 3000;

export interface TimelinePage {
  blocks: KnownBlock[];
  text: string;
  page: number;
  pages: number;
}

/**
 * The day each entry falls on in the zone. Every zone's offset and every change of it is a whole number of
 * quarter hours, so entries in the same quarter hour share a day: one lookup per quarter hour, not per entry.
 */
function daysOf(times: readonly number[], timeZone: string): string[] {
  const QUARTER = 15 * 60_000;
  const byQuarter = new Map<number, string>();
  return times.map((at) => {
    const quarter = Math.floor(at / QUARTER);
    let day = byQuarter.get(quarter);
    if (day === undefined) {
      day = formatDayInZone(quarter * QUARTER, timeZone);
      byQuarter.set(quarter, day);
    }
    return day;
  });
}

/**
 * Cuts the timeline into pages: each entry is one block, plus a day heading where the date changes (and at the
 * top of a page that starts mid-day), at most BLOCKS_PER_PAGE blocks a page. Returns each page's first entry.
 */
function pageStarts(days: string[]): number[] {
  const starts = [0];
  let used = 0;
  days.forEach((day, i) => {
    const needs = i === starts[starts.length - 1] || day !== days[i - 1] ? 2 : 1;
    if (used + needs > BLOCKS_PER_PAGE && i > starts[starts.length - 1]!) {
      starts.push(i);
      used = 2;
    } else {
      used += needs;
    }
  });
  return starts;
}

/**
 * The timeline in chronological order, in the reader's time zone, a day heading wherever the date changes,
 * a page at a time. `times` are every entry's times (oldest first): pages are cut from them, and only the
 * entries of the page shown are asked for (`entriesAt(from, to)`, by position, answered asynchronously as the
 * database does). `page` counts from 1; beyond the last, the last.
 */
export async function timelinePage(
  incident: { id: number; title: string },
  times: readonly number[],
  entriesAt: (from: number, to: number) => Promise<Entry[]>,
  timeZone: string,
  page: number,
): Promise<TimelinePage> {
  const days = daysOf(times, timeZone);
  const starts = pageStarts(days);
  const pages = starts.length;
  const shown = Math.min(Math.max(1, page), pages);
  const from = starts[shown - 1]!;
  const to = starts[shown] ?? times.length;
  const body: KnownBlock[] = [];
  const onPage = times.length ? await entriesAt(from, to) : [];
  for (let i = from; i < to; i += 1) {
    const entry = onPage[i - from]!;
    if (i === from || days[i] !== days[i - 1]) body.push(context([`*${days[i]}*${i === from && i > 0 && days[i] === days[i - 1] ? ' (continued)' : ''}`]));
    const who = entry.actorId && /^[UW][A-Z0-9]+$/.test(entry.actorId) ? ` ${mention(entry.actorId)}` : '';
    body.push(section(fitMrkdwn(`\`${formatClockInZone(entry.at, timeZone)}\`${who} ${entryMrkdwn(entry)}`, ENTRY_MAX)));
  }
  const zone = `${timeZone} (${zoneName(times[0] ?? 0, timeZone)})`;
  const header = section(`*Timeline of ${incidentRef(incident.id)}*: ${escape(incident.title)}\n_${times.length} ${times.length === 1 ? 'entry' : 'entries'}, times in ${escape(zone)}${pages > 1 ? `, page ${shown} of ${pages}` : ''}_`);
  const nav = [
    ...(shown > 1 ? [button('Older', ids.pageButton, `${incident.id}:${shown - 1}`)] : []),
    ...(shown < pages ? [button('Newer', ids.pageButton, `${incident.id}:${shown + 1}`)] : []),
  ];
  return {
    blocks: [header, ...(times.length ? body : [context(['Nothing recorded yet.'])]), ...(nav.length ? [actions(ids.pageActions, nav)] : [])],
    text: `Timeline of ${incidentRef(incident.id)}${pages > 1 ? ` (page ${shown} of ${pages})` : ''}`,
    page: shown,
    pages,
  };
}

export function noteModal(incident: { id: number }): ModalView {
  return modal({
    callbackId: ids.noteModal,
    title: `Note on ${incidentRef(incident.id)}`,
    submit: 'Add',
    privateMetadata: JSON.stringify({ incidentId: incident.id }),
    blocks: [input(ids.fields.note, 'Note', { type: 'plain_text_input', action_id: ids.inputElement, multiline: true, max_length: NOTE_MAX }, { hint: 'Added to the timeline with your name and the time.' })],
  });
}
