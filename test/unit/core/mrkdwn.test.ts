import { describe, expect, it } from 'vitest';
import { channelLink, date, escape, link, mention, truncate, typedText } from '../../../src/core/mrkdwn.ts';

describe('escape', () => {
  it('neutralises mentions, links and entities', () => {
    expect(escape('<!channel> ping & <https://evil|bank>')).toBe('&lt;!channel&gt; ping &amp; &lt;https://evil|bank&gt;');
  });
  it('escapes an ampersand before the brackets so nothing is escaped twice', () => {
    expect(escape('&lt;')).toBe('&amp;lt;');
  });
});

describe('mention and channelLink', () => {
  it('write Slack tokens only for real ids', () => {
    expect(mention('U01ALICE')).toBe('<@U01ALICE>');
    expect(channelLink('C0123')).toBe('<#C0123>');
    expect(() => mention('<!here>')).toThrow();
    expect(() => channelLink('general')).toThrow();
  });
});

describe('link', () => {
  it('escapes the label and keeps the url from breaking out', () => {
    expect(link('https://x.test/a>b', '<b>')).toBe('<https://x.test/a%3Eb|&lt;b&gt;>');
  });
});

describe('date', () => {
  it('renders in the reader’s zone with a UTC fallback', () => {
    expect(date(Date.UTC(2026, 10, 23, 9, 5))).toBe('<!date^1795424700^{date_short_pretty} {time}|2026-11-23 09:05 UTC>');
  });
});

describe('truncate', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(truncate('🚨🚨🚨', 2)).toBe('🚨…');
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('typedText', () => {
  it('turns Slack’s encoded command text back into what was typed', () => {
    expect(typedText('&lt;!channel&gt; ping &amp; pong')).toBe('<!channel> ping & pong');
    expect(typedText('ask <@U01ALICE|alice> in <#C0123|ops>')).toBe('ask @alice in #ops');
    expect(typedText('<!here> see <https://status.example.com|status>')).toBe('@here see https://status.example.com');
    expect(typedText('<@U01ALICE>')).toBe('@U01ALICE');
  });
});
