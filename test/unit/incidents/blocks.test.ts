import { describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import { announcementBlocks, channelPurpose, channelTopic, declareModal, incidentSummaryBlocks } from '../../../src/incidents/blocks.ts';
import type { Incident } from '../../../src/incidents/incident.ts';
import type { SummaryView } from '../../../src/incidents/blocks.ts';

const services = [{ id: 'payments', name: 'Payments & Cards', runbook_tags: [] }];

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 7, title: '<!channel> Checkout & <https://evil.test|login>', summary: 'Cards fail <@U999>', severity: 'sev2', status: 'investigating', serviceId: 'payments',
    isPrivate: false, isDrill: false, declaredBy: 'U01ALICE', declaredAt: Date.UTC(2026, 10, 23, 9, 0), impactStartedAt: null, impactEndedAt: null, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, closedAt: null,
    channelId: 'C0INC7', channelName: 'inc-7-checkout', summaryTs: null, announcementChannelId: null, announcementTs: null, provisioning: 'pending', provisioningError: null,
    resolution: null, lastUpdateAt: null, lastRemindedAt: null, revision: 0, updatedAt: 0, leadId: 'U01BOB', ...overrides,
  };
}

function view(i: Incident): SummaryView {
  return { incident: i, roles: {} };
}

const allText = (blocks: KnownBlock[]): string => JSON.stringify(blocks);

describe('incidentSummaryBlocks', () => {
  it('shows title, severity, status, service, lead, declarer and time, with user text escaped', () => {
    const blocks = incidentSummaryBlocks(view(incident()), services);
    const text = allText(blocks);
    expect(blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn', text: ':large_orange_circle: *INC-7: &lt;!channel&gt; Checkout &amp; &lt;https://evil.test|login&gt;*' } });
    expect(text).toContain('SEV2 Major');
    expect(text).toContain('Investigating');
    expect(text).toContain('Payments &amp; Cards');
    expect(text).toContain('*Lead*\\n<@U01BOB>');
    expect(text).toContain('*Declared*\\n<!date^1795424400^{date_short_pretty} {time}|2026-11-23 09:00 UTC> by <@U01ALICE>');
    expect(text).toContain('<!date^1795424400^');
    expect(text).toContain('Cards fail &lt;@U999&gt;');
    expect(text).not.toMatch(/<!channel>|<@U999>|<https/);
  });

  it('carries the action buttons with the incident id', () => {
    const actions = incidentSummaryBlocks(view(incident()), services).find((b) => b.type === 'actions');
    expect(actions && 'elements' in actions && actions.elements.map((e) => ('action_id' in e ? e.action_id : ''))).toEqual(['incident.update', 'incident.status', 'incident.severity', 'incident.note', 'incident.impact', 'incident.resolve']);
  });

  it('marks private incidents and leaves out an empty summary', () => {
    const text = allText(incidentSummaryBlocks(view(incident({ isPrivate: true, summary: '' })), services));
    expect(text).toContain('Private incident');
    expect(text).not.toContain('*Summary*');
  });

  it('keeps a maximal summary within Slack’s section limit', () => {
    const blocks = incidentSummaryBlocks(view(incident({ summary: '&'.repeat(3000) })), services);
    const summary = blocks.find((b) => JSON.stringify(b).includes('*Summary*')) as { text: { text: string } };
    expect(summary.text.text.length).toBeLessThanOrEqual(3000);
    expect(summary.text.text.endsWith('…')).toBe(true);
  });
});

describe('announcementBlocks', () => {
  it('links the channel and escapes the title', () => {
    const text = allText(announcementBlocks(incident(), services));
    expect(text).toContain('<#C0INC7>');
    expect(text).toContain('&lt;!channel&gt; Checkout &amp; &lt;https://evil.test|login&gt;');
  });
});

describe('topic and purpose', () => {
  it('stay within 250 characters and escape the title', () => {
    const long = incident({ title: '<'.repeat(150) });
    expect(channelTopic(long).length).toBeLessThanOrEqual(250);
    expect(channelPurpose(long).length).toBeLessThanOrEqual(250);
    expect(channelTopic(incident())).toMatch(/^SEV2 \| Investigating \| Lead: <@U01BOB> \| &lt;!channel&gt;/);
  });
});

describe('declareModal', () => {
  it('has the five fields, severity descriptions and the service list, prefilled from the command', () => {
    const view = declareModal(services, { severity: 'sev1', serviceId: 'payments' }, '{"responseUrl":"https://hooks.test/r"}');
    expect(view.callback_id).toBe('incident.declare');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks.map((b) => b.block_id)).toEqual(['title', 'severity', 'service', 'summary', 'options']);
    const severity = view.blocks[1] as { element: { options: { description?: { text: string } }[]; initial_option: { value: string } } };
    expect(severity.element.options.every((o) => o.description && o.description.text.length <= 75)).toBe(true);
    expect(severity.element.initial_option.value).toBe('sev1');
    expect(JSON.stringify(view.blocks[2])).toContain('"initial_option":{"text":{"type":"plain_text","text":"Payments & Cards"');
    expect(view.private_metadata).toBe('{"responseUrl":"https://hooks.test/r"}');
  });

  it('says so when no services are configured', () => {
    const view = declareModal([], {}, '{}');
    expect(view.blocks.map((b) => b.block_id ?? b.type)).toEqual(['title', 'severity', 'context', 'summary', 'options']);
  });
});
