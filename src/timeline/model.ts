/** The pure part of the timeline feature's surface: how entries read. Other features' pure files import this. */
export { entryLabel, entryMrkdwn, entryPlain, type Entry } from './entries.ts';
