import { describe, expect, it } from 'vitest';
import { button, fields, fitMrkdwn, modal, option, plain, section } from '../../../src/core/blockkit.ts';

describe('blockkit', () => {
  it('shortens escaped text without cutting an entity in half', () => {
    expect(fitMrkdwn('ab&amp;cd', 6)).toBe('ab…');
    expect(fitMrkdwn('short', 10)).toBe('short');
    expect(section('x'.repeat(4000)).text?.text.length).toBe(3000);
  });

  it('keeps plain text, buttons and options within their limits', () => {
    expect(plain('🚨'.repeat(30), 24).text).toBe(`${'🚨'.repeat(23)}…`);
    expect(plain('').text).toBe(' ');
    expect((button('b'.repeat(100), 'a.b').text as { text: string }).text).toHaveLength(75);
    expect(() => option('x', 'v'.repeat(151))).toThrow(/option value too long/);
    expect(fields(Array.from({ length: 12 }, (_, i) => `f${i}`)).fields).toHaveLength(10);
  });

  it('refuses a modal Slack would reject rather than truncating its metadata', () => {
    expect(() => modal({ callbackId: 'x.y', title: 'T', blocks: [], privateMetadata: 'm'.repeat(3001) })).toThrow(/private_metadata too long/);
    expect(modal({ callbackId: 'x.y', title: 'A title that is far too long for Slack', blocks: [] }).title.text).toHaveLength(24);
  });
});
