import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/core/logger.ts';

describe('the logger', () => {
  it('writes one JSON line per event with the child fields, and never a Slack token or response URL', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line)).child({ incident: 'INC-7' });
    logger.debug('hidden');
    logger.error('slack call failed', { error: new Error('invalid_auth for xoxb-1234-5678-abcdEFGH'), url: 'https://hooks.slack.com/commands/T0/123/secretpart', app: 'xapp-1-A0-99-ff' });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', msg: 'slack call failed', incident: 'INC-7', url: 'https://hooks.slack.com/commands/[redacted]', app: 'xapp-[redacted]' });
    expect(lines[0]).not.toMatch(/xoxb-1234|secretpart|xapp-1-A0/);
    expect(JSON.stringify(line.error)).toContain('xox?-[redacted]');
  });
});
