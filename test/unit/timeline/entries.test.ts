import { describe, expect, it } from 'vitest';
import { entryMrkdwn, entryPlain, type Entry } from '../../../src/timeline/entries.ts';

const entry = (kind: string, text: string | null, data: Record<string, unknown> | null = null, permalink: string | null = null): Entry => ({ id: 1, kind, at: 0, actorId: 'U01ALICE', text, data, permalink });

describe('timeline entries', () => {
  it('escapes what people wrote and keeps Klaxon’s own mentions', () => {
    expect(entryMrkdwn(entry('note', '<!channel> & <@U999>'))).toBe(':memo: *Note*: &lt;!channel&gt; &amp; &lt;@U999&gt;');
    expect(entryMrkdwn(entry('declared', 'Checkout <b>'))).toBe(':rotating_light: *Declared*: Checkout &lt;b&gt;');
    expect(entryMrkdwn(entry('paged', 'Paged <@U01BOB> (Payments API, level 1)'))).toBe(':pager: Paged <@U01BOB> (Payments API, level 1)');
  });

  it('shows a captured message as its author wrote it in Slack, with a link to it', () => {
    const message = entry('message', 'Rolled back, ping <@U01BOB|bob> &amp; <!here>', null, 'https://t.slack.com/archives/C1/p1');
    expect(entryPlain(message)).toBe('Rolled back, ping @bob & @here');
    expect(entryMrkdwn(message)).toBe(':speech_balloon: Rolled back, ping @bob &amp; @here <https://t.slack.com/archives/C1/p1|(message)>');
  });

  it('describes changes from their data', () => {
    expect(entryMrkdwn(entry('status_changed', 'bad deploy', { label: 'Investigating → Identified' }))).toBe(':arrows_counterclockwise: *Status*: Investigating → Identified: bad deploy');
    expect(entryMrkdwn(entry('role_assigned', null, { role: 'comms', userId: 'U01BOB' }))).toBe(':bust_in_silhouette: *Role*: <@U01BOB> is communications');
    expect(entryPlain(entry('role_assigned', null, { role: 'scribe', userId: 'U01BOB' }))).toBe('@U01BOB is scribe');
    expect(entryMrkdwn(entry('runbook_linked', 'DB <failover>', { url: 'https://k.example/runbooks/db' }))).toBe(':book: *Runbook*: <https://k.example/runbooks/db|DB &lt;failover&gt;>');
    expect(entryMrkdwn(entry('runbook_linked', 'DB', { url: 'javascript:alert(1)' }))).toBe(':book: *Runbook*: DB');
    expect(entryPlain(entry('impact_changed', null, { startedAt: Date.UTC(2026, 10, 23, 8, 30), endedAt: null }))).toBe('impact started 2026-11-23 08:30 UTC, ended not set');
  });
});
