/** `/incident alerts`' answer: one block per open alert group, monitoring's text inert, within Block Kit's limits. */
import { describe, expect, it } from 'vitest';
import { openAlertsAnswer } from '../../../src/alerts/open-alerts-blocks.ts';
import type { OpenAlert } from '../../../src/alerts/open-alerts.ts';

const AT = Date.parse('2026-11-24T10:00:00Z');

function group(id: number, fields: Partial<OpenAlert> = {}): OpenAlert {
  return {
    id,
    status: 'firing',
    integrationId: 'prod-alertmanager',
    serviceId: 'payments',
    serviceName: 'Payments API',
    urgency: 'high',
    title: 'Payments is failing its checks',
    alerts: 1,
    firing: 1,
    folded: 0,
    firingSince: AT,
    openedAt: AT,
    acknowledgedBy: null,
    acknowledgedAt: null,
    incidentId: null,
    channelId: null,
    channelTs: null,
    ...fields,
  };
}

const textOf = (answer: ReturnType<typeof openAlertsAnswer>): string => JSON.stringify(answer.blocks);

describe('openAlertsAnswer', () => {
  it('says when nothing is open', () => {
    const answer = openAlertsAnswer([]);
    expect(answer.text).toBe('No open alerts: nothing from monitoring is firing or waiting to be resolved.');
    expect(answer.blocks).toHaveLength(1);
  });

  it('shows each group with its state, service, urgency, counts, times, who acknowledged and where it is posted', () => {
    const answer = openAlertsAnswer([
      group(3, { folded: 985, alerts: 5, firing: 2, channelId: 'C0PAYALERTS', channelTs: '1764000000.000100' }),
      group(1, { status: 'acknowledged', urgency: 'low', serviceId: null, serviceName: null, acknowledgedBy: 'U01BOB', acknowledgedAt: AT + 60_000, incidentId: 7 }),
    ]);
    expect(answer.text).toBe('2 open alerts (1 firing, 1 acknowledged), newest first: ALERT-3, ALERT-1');
    expect(answer.blocks).toHaveLength(3);
    const [first, second] = answer.blocks.slice(1).map((b) => JSON.stringify(b));
    expect(first).toContain(':red_circle: Firing *ALERT-3: Payments is failing its checks*');
    expect(first).toContain(`Payments API · High urgency · 5 alerts, 2 firing, 985 more folded in from an alert storm · firing since <!date^${AT / 1000}^`);
    expect(first).toContain('Posted in <#C0PAYALERTS>');
    expect(second).toContain(':large_orange_circle: Acknowledged *ALERT-1');
    expect(second).toContain('no service · Low urgency · 1 alert · firing since');
    expect(second).toContain(`Acknowledged by <@U01BOB> <!date^${AT / 1000 + 60}^`);
    expect(second).toContain('Declared as INC-7');
    expect(second).not.toContain('Posted in');
  });

  it('escapes the monitoring tool\'s text and cuts long titles', () => {
    const text = textOf(openAlertsAnswer([group(1, { title: `<!channel> <@U01ALICE> <https://evil.example|click> & ${'x'.repeat(400)}`, serviceName: 'A <b> & c' })]));
    expect(text).not.toMatch(/<!channel>|<@U01ALICE>|<https:\/\/evil/);
    expect(text).toContain('&lt;!channel&gt; &lt;@U01ALICE&gt; &lt;https://evil.example|click&gt; &amp; x');
    expect(text).toContain('A &lt;b&gt; &amp; c');
    expect(text).toContain('x…*');
    expect(text).not.toContain('x'.repeat(200));
  });

  it('stays within the 50 blocks of a message, and says how many more there are', () => {
    const answer = openAlertsAnswer(Array.from({ length: 60 }, (_, i) => group(60 - i)));
    expect(answer.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(answer.blocks.at(-1))).toContain('…and 15 older. `npx klaxon alerts` lists them all.');
    for (const block of answer.blocks) if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(3000);
  });
});
