import { describe, expect, it } from 'vitest';
import { addLogContext, withLogContext } from '../../../src/core/log-context.ts';
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

  it('writes an Error with its stack and its cause chain, still redacted', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line));
    const cause = Object.assign(new Error('connect ECONNREFUSED for xoxb-1234-5678-abcdEFGH'), { code: 'ECONNREFUSED' });
    logger.error('job failed', { error: new Error('chat.postMessage failed', { cause }) });
    const line = JSON.parse(lines[0]!) as { error: { message: string; stack: string; cause: { message: string; code: string; stack: string } } };
    expect(line.error.message).toBe('chat.postMessage failed');
    expect(line.error.stack).toMatch(/^Error: chat\.postMessage failed\n\s+at /);
    expect(line.error.stack).toContain('logger.test.ts');
    expect(line.error.cause).toMatchObject({ message: 'connect ECONNREFUSED for xox?-[redacted]', code: 'ECONNREFUSED' });
    expect(line.error.cause.stack).toMatch(/\n\s+at /);
    expect(lines[0]).not.toContain('xoxb-1234');
  });

  it('adds the request and incident of the work in progress to each line, also after awaits, and only there', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    await withLogContext({ request: '1234.5678.abc' }, async () => {
      logger.info('routing');
      await new Promise((resolve) => setImmediate(resolve));
      addLogContext({ incident: 'INC-3' });
      await withLogContext({ job: 'tell:INC-3:9' }, async () => logger.warn('inner'));
      logger.info('answered', { incident: 'INC-4' });
    });
    logger.info('outside');
    expect(lines.map(({ time: _time, ...rest }) => rest)).toEqual([
      { level: 'info', msg: 'routing', request: '1234.5678.abc' },
      { level: 'warn', msg: 'inner', request: '1234.5678.abc', incident: 'INC-3', job: 'tell:INC-3:9' },
      { level: 'info', msg: 'answered', request: '1234.5678.abc', incident: 'INC-4' },
      { level: 'info', msg: 'outside' },
    ]);
  });
});
