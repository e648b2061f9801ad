/**
 * Runbooks and similar past incidents end to end: declaring posts the runbooks that fit and bookmarks them,
 * a second incident worded like the first lists the first, runbooks are served as web pages, searched and
 * linked from Slack, and re-indexed when their files change.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listTimeline } from '../../src/incidents/store.ts';
import { suggestionsOf } from '../../src/knowledge/store.ts';
import type { Message } from '../../src/simulator/slack/index.ts';
import { startHarness, USERS, type Harness } from '../support/harness.ts';
import { blockActionPayload, declareFormValues } from '../../src/simulator/requests.ts';

let h: Harness;
afterEach(async () => h?.close());

const PAYMENTS_RUNBOOK = `---
title: Payments API 5xx spike
summary: The payments API answers with server errors and checkout fails.
services: [payments]
tags: [payments, http]
alerts: [PaymentsHigh5xxRate, checkout errors]
owner: Payments team
last_reviewed: 2026-10-01
---
When the payments API starts answering 5xx, customers cannot pay.

## Diagnose

\`\`\`sh
kubectl -n payments rollout history deploy/payments-api
\`\`\`

| Error rate | Action |
| --- | --- |
| over 5% | roll back |

## Mitigate

1. Roll back the last deploy.
`;

const DNS_RUNBOOK = `---
title: DNS resolution failure
tags: [dns]
alerts: [NXDOMAIN]
last_reviewed: 2026-01-02
---
Names stop resolving.

## Diagnose

Run dig against each resolver.
`;

const EVIL_RUNBOOK = `---
title: Evil <b>runbook</b>
tags: [evil]
last_reviewed: 2026-10-01
---
Hello <script>alert('x')</script> and [a link](javascript:alert(1)).
`;

const RUNBOOKS = { 'payments-5xx-spike.md': PAYMENTS_RUNBOOK, 'dns-resolution-failure.md': DNS_RUNBOOK, 'evil.md': EVIL_RUNBOOK };

const suggestionIn = (channelId: string): Promise<Message> =>
  h.waitFor(() => h.slack.state.messages(channelId).find((m) => /runbook|Similar past incidents/i.test(JSON.stringify(m.blocks ?? ''))), 'the suggestions message');
const textOf = (value: unknown): string => JSON.stringify(value);

describe('on declaration', () => {
  it('posts the payments runbook, bookmarks it and records it in the timeline', async () => {
    h = await startHarness({ runbooks: RUNBOOKS });
    await h.slash('declare sev2 payments Checkout returning 502 errors');
    const inc = await h.provisioned(1);
    const message = await suggestionIn(inc.channelId!);
    const blocks = textOf(message.blocks);
    expect(blocks).toContain('/runbooks/payments-5xx-spike|Payments API 5xx spike>');
    expect(blocks).toContain('Owner: Payments team');
    expect(blocks).not.toContain('DNS resolution failure');
    expect(blocks).not.toContain('Similar past incidents');

    const bookmarks = await h.waitFor(() => h.slack.state.bookmarksOf(inc.channelId!).length > 0 && h.slack.state.bookmarksOf(inc.channelId!), 'the bookmark');
    expect(bookmarks).toHaveLength(1);
    expect(bookmarks[0]).toMatchObject({ title: 'Payments API 5xx spike', type: 'link' });
    expect(bookmarks[0]!.link).toMatch(/\/runbooks\/payments-5xx-spike$/);
    expect((await listTimeline(h.klaxon.database.db, 1)).filter((e) => e.kind === 'runbook_linked').map((e) => e.text)).toEqual(['Payments API 5xx spike']);
  });

  it('links nothing for an unrelated title, and a second incident worded like the first lists the first', async () => {
    h = await startHarness({ runbooks: RUNBOOKS });
    await h.slash('declare sev3 Office printer jammed again');
    const first = await h.provisioned(1);
    await h.slash('declare sev2 search Search indexing stalled: queue lag growing');
    await h.provisioned(2);
    await h.slash('declare sev2 search Indexing queue lag growing, search results stale');
    const third = await h.provisioned(3);

    const message = await suggestionIn(third.channelId!);
    const blocks = textOf(message.blocks);
    expect(blocks).toContain('Similar past incidents');
    expect(blocks).toContain('*INC-2*');
    expect(blocks).toContain('Search indexing stalled: queue lag growing');
    expect(blocks).not.toContain('INC-3*');
    expect(blocks).not.toContain('INC-1*');

    // The printer incident: nothing relevant, so nothing is posted and nothing bookmarked.
    await h.waitFor(() => h.slack.calls('chat.postMessage').some((c) => c.args.channel === third.channelId && String(c.args.text).includes('similar')), 'the third incident’s message');
    expect(h.slack.state.messages(first.channelId!).filter((m) => /Runbooks|Similar/.test(textOf(m.blocks ?? '')))).toEqual([]);
    expect(h.slack.state.bookmarksOf(first.channelId!)).toEqual([]);
  });

  it('never suggests a private incident in a channel, but shows it with /incident similar to its members only', async () => {
    h = await startHarness({ runbooks: {} });
    await h.slash('declare');
    const open = await h.waitFor(() => h.slack.calls('views.open').find((c) => c.ok), 'the declare form');
    const view = (open.response as { view: { id: string; callback_id: string; private_metadata: string } }).view;
    await h.submitView({ userId: USERS.alice, view, values: declareFormValues({ title: 'Card payments declined by the acquirer', severity: 'sev2', private: true }) });
    const privateInc = await h.provisioned(1);
    expect(privateInc.isPrivate).toBe(true);
    await h.slash('declare sev2 Card payments declined by the acquirer again');
    const second = await h.provisioned(2);
    await h.waitFor(() => suggestionsOf(h.klaxon.database.db, 2), 'the suggestions for INC-2');
    expect(h.slack.state.messages(second.channelId!).some((m) => textOf(m.blocks ?? '').includes('INC-1'))).toBe(false);

    const member = await h.slash('similar', { channel: second.channelId!, user: USERS.alice });
    expect(textOf(member.json())).toContain('*INC-1*');
    expect(h.slack.state.channel(privateInc.channelId!)!.members.has(USERS.bob)).toBe(false);
    const outsider = await h.slash('similar', { channel: second.channelId!, user: USERS.bob });
    expect(textOf(outsider.json())).not.toContain('INC-1');
    expect(textOf(outsider.json())).toContain('No past incident looks like INC-2');
  });
});

describe('runbooks on the web', () => {
  it('serves a runbook as a readable page, renders <script> inert, and answers 404 for an unknown one', async () => {
    h = await startHarness({ runbooks: RUNBOOKS });
    const page = await fetch(`${h.baseUrl}/runbooks/payments-5xx-spike`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<h1>Payments API 5xx spike</h1>');
    expect(html).toContain('<table>');
    expect(html).toContain('<code');
    expect(html).toContain('Last reviewed 2026-10-01');

    const evil = await (await fetch(`${h.baseUrl}/runbooks/evil`)).text();
    expect(evil).not.toContain('<script>');
    expect(evil).toContain('&lt;script&gt;');
    expect(evil).not.toContain('href="javascript:');
    expect(evil).toContain('Evil &lt;b&gt;runbook&lt;/b&gt;');

    const stale = await (await fetch(`${h.baseUrl}/runbooks/dns-resolution-failure`)).text();
    expect(stale).toMatch(/class="warning"/);

    const missing = await fetch(`${h.baseUrl}/runbooks/no-such-runbook`);
    expect(missing.status).toBe(404);
    const css = await fetch(`${h.baseUrl}/assets/klaxon.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });
});

describe('web.require_signed_links', () => {
  it('hands out signed runbook links and answers 404 to an unsigned one', async () => {
    h = await startHarness({ runbooks: { 'payments-5xx-spike.md': PAYMENTS_RUNBOOK }, klaxonYml: 'timezone: UTC\nweb:\n  require_signed_links: true\nservices:\n  - { id: payments, name: Payments API }\n' });
    await h.slash('declare sev2 payments Payments API 5xx spike');
    const inc = await h.provisioned(1);
    const message = await suggestionIn(inc.channelId!);
    const signed = /<(http[^|>]*\/runbooks\/payments-5xx-spike\?sig=[^|>]+)\|/.exec(JSON.stringify(message.blocks))![1]!;
    const url = new URL(signed.replace(/&amp;/g, '&'));
    expect((await fetch(`${h.baseUrl}/runbooks/payments-5xx-spike`)).status).toBe(404);
    expect((await fetch(`${h.baseUrl}${url.pathname}${url.search}`)).status).toBe(200);
    expect(h.slack.state.bookmarksOf(inc.channelId!)[0]?.link ?? (await h.waitFor(() => h.slack.state.bookmarksOf(inc.channelId!)[0]?.link, 'the bookmark'))).toContain('?sig=');
  });
});

describe('/incident runbook', () => {
  it('searches with a snippet, and links a result to the incident from its button', async () => {
    h = await startHarness({ runbooks: RUNBOOKS });
    const anywhere = await h.slash('runbook resolvers dig');
    expect(textOf(anywhere.json())).toContain('DNS resolution failure');
    expect(textOf(anywhere.json())).toContain('*dig*');
    expect(textOf(anywhere.json())).not.toContain('knowledge.link_runbook');

    await h.slash('declare sev2 Names do not resolve inside the cluster');
    const inc = await h.provisioned(1);
    await h.waitFor(() => suggestionsOf(h.klaxon.database.db, 1), 'the suggestions for INC-1');
    // The DNS runbook was linked on declaration (the title's words match it), so it has no Link button.
    const inChannel = await h.slash('runbook NXDOMAIN', { channel: inc.channelId! });
    expect(textOf(inChannel.json())).toContain('DNS resolution failure');
    expect(textOf(inChannel.json())).not.toContain('knowledge.link_runbook');

    const payments = await h.slash('runbook payments 5xx', { channel: inc.channelId! });
    const paymentsButton = ((payments.json().blocks ?? []) as { elements?: { action_id: string; value: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'knowledge.link_runbook')!;
    const click = await h.interact(blockActionPayload({ userId: USERS.bob, channelId: inc.channelId!, actionId: 'knowledge.link_runbook', blockId: 'knowledge.link_runbook_actions:payments-5xx-spike', value: paymentsButton.value, messageTs: '1700000000.000100', triggerId: h.slack.issueTriggerId(), responseUrl: h.slack.createResponseUrl({ channel: inc.channelId! }) }));
    expect(click.status).toBe(200);
    await h.waitFor(() => h.slack.state.bookmarksOf(inc.channelId!).some((b) => b.title === 'Payments API 5xx spike'), 'the bookmark of the linked runbook');
    await h.waitFor(() => h.slack.state.messages(inc.channelId!).some((m) => m.text.includes('<@U01BOB> linked the runbook')), 'the channel line');
    const linked = (await listTimeline(h.klaxon.database.db, 1)).filter((e) => e.kind === 'runbook_linked');
    expect(linked.map((e) => [e.text, e.actorId])).toContainEqual(['Payments API 5xx spike', USERS.bob]);
  });

  it('lists the runbooks, re-indexes on reload, and picks up a new file without a restart', async () => {
    h = await startHarness({ runbooks: { 'dns-resolution-failure.md': DNS_RUNBOOK } });
    expect(textOf((await h.slash('runbook')).json())).toContain('1 runbook.');
    writeFileSync(join(h.runbooksDir, 'payments-5xx-spike.md'), PAYMENTS_RUNBOOK);
    writeFileSync(join(h.runbooksDir, 'broken.md'), 'no front matter here');
    const reload = await h.slash('runbook reload');
    expect(reload.json().text).toContain('2 runbooks indexed');
    expect(reload.json().text).toContain('`broken.md` (not indexed): front matter: missing');

    writeFileSync(join(h.runbooksDir, 'certificate-expiry.md'), `---\ntitle: Certificate expiry\ntags: [tls]\nlast_reviewed: 2026-10-01\n---\nRenew the certificate.\n`);
    let status = 0;
    for (let tries = 0; tries < 100 && status !== 200; tries += 1) {
      status = (await fetch(`${h.baseUrl}/runbooks/certificate-expiry`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
  });
});
