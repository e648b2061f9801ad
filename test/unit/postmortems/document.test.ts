/**
 * The post-mortem document for a full incident, compared with a reviewed golden file
 * (test/unit/postmortems/golden/full-incident.md). Set UPDATE_GOLDEN=1 to rewrite it after a deliberate change,
 * then read the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/incidents/model.ts';
import { postmortemMarkdown, type PostmortemDocument } from '../../../src/postmortems/document.ts';
import { newForm } from '../../../src/postmortems/form.ts';
import { postmortemPageHtml } from '../../../src/postmortems/page.ts';
import type { Entry } from '../../../src/timeline/model.ts';

const GOLDEN = 'test/unit/postmortems/golden/full-incident.md';
const T = (hh: number, mm: number) => Date.UTC(2026, 10, 23, hh, mm);

const incident: Incident = {
  id: 7, title: 'Checkout returns 502 for card payments', summary: 'Cards fail', severity: 'sev2', status: 'resolved', serviceId: 'payments', isPrivate: false, isDrill: false,
  declaredBy: 'U01ALICE', declaredAt: T(14, 5), impactStartedAt: T(13, 50), impactEndedAt: null, acknowledgedAt: T(14, 9), acknowledgedBy: 'U01BOB', resolvedAt: T(14, 52), closedAt: null,
  leadId: 'U01BOB', channelId: 'C0INC7', channelName: 'inc-7-checkout', summaryTs: '1.1', announcementChannelId: null, announcementTs: null, provisioning: 'done', provisioningError: null,
  resolution: 'Rolled back release 4.2', lastUpdateAt: T(14, 30), lastRemindedAt: null, revision: 9, updatedAt: T(14, 52),
};

const entry = (id: number, at: number, kind: string, actorId: string | null, text: string | null, data: Record<string, unknown> | null = null, permalink: string | null = null): Entry => ({ id, at, kind, actorId, text, data, permalink });

const timeline: Entry[] = [
  entry(1, T(14, 5), 'declared', 'U01ALICE', 'Checkout returns 502 for card payments'),
  entry(2, T(14, 5), 'paged', null, 'Paged <@U01BOB> (Payments API, level 1)', { userId: 'U01BOB' }),
  entry(3, T(14, 9), 'acknowledged', 'U01BOB', '<@U01BOB> acknowledged after 4m'),
  entry(4, T(14, 12), 'message', 'U01CAROL', 'Error rate 40% since the 4.2 deploy | see <https://grafana.example/d/1|dashboard>', null, 'https://t.slack.com/archives/C0INC7/p1'),
  entry(5, T(14, 15), 'status_changed', 'U01BOB', 'bad deploy', { label: 'Investigating → Identified' }),
  entry(6, T(14, 30), 'update', 'U01BOB', 'Rolling back 4.2; error rate falling'),
  entry(7, T(14, 52), 'resolved', 'U01BOB', 'Rolled back release 4.2'),
];

const form = {
  ...newForm(incident.title),
  summary: 'Release 4.2 exhausted the payments database pool.\n\nCheckout failed for card payments until it was rolled back.',
  impact: 'About 30% of card checkouts failed for 62 minutes.',
  detection: 'The PaymentsHigh5xxRate alert, 15 minutes after impact began.',
  trigger: 'Deploy of release 4.2 at 13:50.',
  whys: ['Checkout returned 502 for card payments', 'The payments API could not get database connections', 'Release 4.2 held a connection for each retry', 'The retry change was not load tested', 'Load tests do not run on config-only changes'],
  rootCause: '',
  contributing: '- The alert threshold was too high\n- Rollback took 20 minutes <slow>',
  wentWell: 'The rollback runbook worked.',
  wentBadly: 'Detection took 15 minutes.',
  lucky: 'It happened outside the sales peak.',
  actions: [
    { what: 'Run load tests on every release', ownerId: 'U01CAROL', due: '2026-12-15' },
    { what: 'Lower the 5xx alert threshold to 2%', ownerId: 'U01BOB', due: '2026-12-01' },
    { what: '', ownerId: null, due: null },
    { what: '', ownerId: null, due: null },
    { what: '', ownerId: null, due: null },
  ],
  createProblem: true,
};

const names: Record<string, string> = { U01ALICE: 'Alice Archer', U01BOB: 'Bob Baker', U01CAROL: 'Carol Chen' };

const doc: PostmortemDocument = {
  incident,
  serviceName: 'Payments API',
  responders: ['U01BOB', 'U01ALICE', 'U01CAROL'],
  form,
  timeline,
  runbooks: [{ title: 'Payments API 5xx spike', url: 'https://klaxon.example/runbooks/payments-5xx-spike' }],
  similar: [{ ref: 'INC-3', title: 'Checkout errors after the payments deploy', rootCause: 'Pool size too small' }],
  problem: { ref: 'PRB-2' },
  timeZone: 'Europe/London',
  nameOf: (id) => names[id] ?? id,
  savedBy: 'U01CAROL',
  savedAt: T(16, 0),
};

describe('postmortemMarkdown', () => {
  it('writes a full incident exactly as the reviewed golden file', () => {
    const markdown = postmortemMarkdown(doc);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, markdown);
    expect(markdown).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('chains the whys in order and ends in the root cause (the last why when none is written)', () => {
    const markdown = postmortemMarkdown(doc);
    const whys = form.whys.map((w) => markdown.indexOf(w));
    expect(whys.every((at) => at > 0)).toBe(true);
    expect([...whys].sort((a, b) => a - b)).toEqual(whys);
    expect(markdown).toContain('**Root cause:** Load tests do not run on config-only changes');
    expect(markdown.indexOf('**Root cause:**')).toBeGreaterThan(whys.at(-1)!);
  });

  it('keeps people’s words from becoming HTML or table cells', () => {
    const markdown = postmortemMarkdown(doc);
    expect(markdown).toContain('Rollback took 20 minutes &lt;slow>');
    expect(markdown).toContain('Error rate 40% since the 4.2 deploy \\| see <https://grafana.example/d/1>');
  });

  it('shows Markdown and HTML people typed as text, in the Markdown and on the page', () => {
    const typed = '![x](https://evil.test/x.png) [click here](https://evil.test/login) <img src=https://evil.test/y.png> *bold* `code` _it_ ~~gone~~ &amp;';
    const markdown = postmortemMarkdown({
      ...doc,
      incident: { ...incident, title: `Checkout ${typed}` },
      form: { ...form, summary: `# Not a heading\n${typed}`, contributing: `- ${typed}`, actions: [{ what: typed, ownerId: 'U01BOB', due: null }, ...form.actions.slice(1)] },
      timeline: [entry(1, T(14, 5), 'note', 'U01ALICE', typed)],
      nameOf: (id) => (id === 'U01BOB' ? '[Bob](https://evil.test/bob)' : (names[id] ?? id)),
    });
    expect(markdown).toContain('!\\[x\\](<https://evil.test/x.png>)');
    expect(markdown).toContain('\\[click here\\](<https://evil.test/login>)');
    expect(markdown).toContain('\\# Not a heading');
    const html = postmortemPageHtml('INC-7', 'Checkout', markdown);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<em>it|<del>gone|<code>code|<strong>bold/);
    expect(html).not.toMatch(/<h1[^>]*>Not a heading/);
    expect(html).not.toContain('>click here</a>');
    expect(html).not.toContain('>Bob</a>');
    // Bare URLs people typed stay links, labelled with the URL itself.
    const labels = [...html.matchAll(/<a href="(https:\/\/evil\.test[^"]*)"[^>]*>([^<]*)<\/a>/g)];
    expect(labels.length).toBeGreaterThan(0);
    for (const [, href, label] of labels) expect(label).toBe(href);
    expect(html).toContain('![x](<a href="https://evil.test/x.png"');
    expect(html).toContain('*bold* `code` _it_ ~~gone~~ &amp;amp;');
  });

  it('shows no images on the page, even in a document written before people’s words were escaped', () => {
    const html = postmortemPageHtml('INC-7', 'Checkout', '# Post-mortem\n\n![tracking pixel](https://evil.test/p.png)');
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('tracking pixel');
  });
});
