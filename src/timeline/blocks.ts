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
 * The timeline in chronological order, in the reader's time zone, a day heading wherever the date changes,
 * cut into pages of at most BLOCKS_PER_PAGE entry blocks. `page` counts from 1; beyond the last, the last.
 */
export function timelinePage(incident: { id: number; title: string }, entries: Entry[], timeZone: string, page: number): TimelinePage {
  const pagesOfBlocks: KnownBlock[][] = [[]];
  let day = '';
  for (const entry of entries) {
    const entryDay = formatDayInZone(entry.at, timeZone);
    const blocks: KnownBlock[] = [];
    if (entryDay !== day) blocks.push(context([`*${entryDay}*`]));
    const who = entry.actorId && /^[UW][A-Z0-9]+$/.test(entry.actorId) ? ` ${mention(entry.actorId)}` : '';
    blocks.push(section(fitMrkdwn(`\`${formatClockInZone(entry.at, timeZone)}\`${who} ${entryMrkdwn(entry)}`, ENTRY_MAX)));
    let current = pagesOfBlocks[pagesOfBlocks.length - 1]!;
    if (current.length + blocks.length > BLOCKS_PER_PAGE) {
      current = [];
      pagesOfBlocks.push(current);
      if (blocks[0]?.type !== 'context') blocks.unshift(context([`*${entryDay}* (continued)`]));
    }
    current.push(...blocks);
    day = entryDay;
  }
  const pages = pagesOfBlocks.length;
  const shown = Math.min(Math.max(1, page), pages);
  const zone = `${timeZone} (${zoneName(entries[0]?.at ?? 0, timeZone)})`;
  const header = section(`*Timeline of ${incidentRef(incident.id)}*: ${escape(incident.title)}\n_${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}, times in ${escape(zone)}${pages > 1 ? `, page ${shown} of ${pages}` : ''}_`);
  const body = entries.length ? pagesOfBlocks[shown - 1]! : [context(['Nothing recorded yet.'])];
  const nav = [
    ...(shown > 1 ? [button('Older', ids.pageButton, `${incident.id}:${shown - 1}`)] : []),
    ...(shown < pages ? [button('Newer', ids.pageButton, `${incident.id}:${shown + 1}`)] : []),
  ];
  return {
    blocks: [header, ...body, ...(nav.length ? [actions(ids.pageActions, nav)] : [])],
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
