import { describe, expect, it } from 'vitest';
import { blockToText, messageToText, mrkdwnToText } from '../../../src/simulator/render-text.ts';

const names = { user: (id: string) => ({ U01ERIN: 'erin' })[id], channel: (id: string) => ({ C0INC: 'inc-1-checkout' })[id] };

describe('Slack messages as text', () => {
  it('shows mentions, channels, links and emoji as Slack does, and the escaped characters as typed', () => {
    expect(mrkdwnToText('<@U01ERIN> see <#C0INC> and <https://x.test/p|the page> :rotating_light: :unknown_one: a &lt;b&gt; &amp; c <!here>', names)).toBe(
      '@erin see #inc-1-checkout and the page (https://x.test/p) 🚨 :unknown_one: a <b> & c @here',
    );
  });

  it('flattens blocks: fields side by side, buttons and menus as controls, context joined', () => {
    const text = messageToText(
      {
        text: 'fallback',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'INC-1' } },
          { type: 'section', fields: [{ type: 'mrkdwn', text: '*Status*\nInvestigating' }, { type: 'mrkdwn', text: '*Lead*\n<@U01ERIN>' }] },
          { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Resolve' } }, { type: 'static_select', placeholder: { type: 'plain_text', text: 'Owner' } }] },
          { type: 'context', elements: [{ type: 'mrkdwn', text: 'a' }, { type: 'plain_text', text: 'b' }] },
        ],
      },
      names,
    );
    expect(text).toBe('INC-1\n*Status* Investigating · *Lead* @erin\n[Resolve] [Owner ▾]\na · b');
    expect(blockToText({ type: 'divider' }, names)).toBe('—');
    expect(messageToText({ text: 'only <@U01ERIN>' }, names)).toBe('only @erin');
  });
});
