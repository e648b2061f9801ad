import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.ts';
import type { SubCommand } from '../../../src/core/subcommand.ts';
import { helpText, refusal, route, splitCommand } from '../../../src/slack/router.ts';

const declare: SubCommand = { name: 'declare', aliases: ['new'], usage: 'declare [sev1-4] [service] [title…]', help: 'Declare an incident', run: () => ({ text: 'ok' }) };
const note: SubCommand = { name: 'note', usage: 'note <text>', help: 'Add a note', needsIncident: true, run: () => ({ text: 'noted' }) };
const deps = {
  subcommands: [declare, note],
  incidentIdByChannel: async (channel: string) => (channel === 'CINC7' ? 7 : undefined),
  incidentExists: async (id: number) => id === 7 || id === 42,
};
const input = (text: string, channelId = 'CGENERAL') => ({ text, channelId, userId: 'U01ALICE', responseUrl: 'https://hooks.test/r', triggerId: 't' });

describe('splitCommand', () => {
  it('separates the sub-command from its arguments', async () => {
    expect(splitCommand('  Declare   sev2 payments  down ')).toEqual({ name: 'declare', rest: 'sev2 payments  down' });
    expect(splitCommand('')).toEqual({ name: '', rest: '' });
  });
});

describe('route', () => {
  it('answers help for nothing and for help', async () => {
    for (const text of ['', 'help', 'HELP']) {
      const routed = await route(deps, input(text));
      expect('answer' in routed && routed.answer).toContain('/incident declare [sev1-4] [service] [title…]');
    }
  });

  it('finds sub-commands by name and alias, passing the rest on', async () => {
    const routed = await route(deps, input('new sev1 Everything is down'));
    expect('subcommand' in routed && routed.subcommand.name).toBe('declare');
    expect('ctx' in routed && routed.ctx.text).toBe('sev1 Everything is down');
  });

  it('answers an unknown sub-command with usage, showing what was typed escaped once', async () => {
    const routed = await route(deps, input('&lt;!channel&gt; now'));
    expect('answer' in routed && routed.answer).toMatch(/^I don't know `\/incident &lt;!channel&gt;`/);
    expect('answer' in routed && routed.answer).toContain('/incident help');
  });

  it('takes the incident from the channel or from an INC-n first argument', async () => {
    const inChannel = await route(deps, input('note rollback started', 'CINC7'));
    expect('ctx' in inChannel && inChannel.ctx).toMatchObject({ incidentId: 7, text: 'rollback started' });
    const byRef = await route(deps, input('note INC-42 rollback started'));
    expect('ctx' in byRef && byRef.ctx).toMatchObject({ incidentId: 42, text: 'rollback started' });
  });

  it('refuses an incident command outside an incident channel or for an unknown incident', async () => {
    await expect(route(deps, input('note hello'))).rejects.toThrow(UserError);
    await expect(route(deps, input('note INC-9 hello'))).rejects.toThrow('INC-9 is not an incident you can see: there is none, or it is private and you are not in its channel.');
  });

  it('reads a malformed or out-of-range INC- first argument as a wrong reference, never as the channel’s incident', async () => {
    for (const [ref, channel] of [
      ['INC-2147483648', 'CINC7'],
      ['INC-1e3', 'CINC7'],
      ['INC-99999999999999999999', 'CGENERAL'],
      ['INC--1', 'CGENERAL'],
      ['INC-1e3', 'CGENERAL'],
      ['INC-', 'CGENERAL'],
    ]) {
      await expect(route(deps, input(`note ${ref!} rolled back`, channel)), ref).rejects.toThrow(`${ref!} is not an incident: incidents are numbered like INC-42.`);
    }
  });
});

describe('helpText', () => {
  it('lists every sub-command once with its aliases, generated from the router', async () => {
    const text = helpText([declare, note]);
    expect(text).toContain('• `/incident declare [sev1-4] [service] [title…]`: Declare an incident (also `new`)');
    expect(text.split('/incident note').length - 1).toBe(1);
    expect(text).toContain('• `/incident help`: this list');
  });
});

describe('refusal', () => {
  it('keeps what the user typed, escaped', async () => {
    const text = refusal(new UserError('The title is too long.'), 'declare <@U1> & more');
    expect(text).toContain('The title is too long.\nNothing was changed.');
    expect(text).toContain('/incident declare &lt;@U1&gt; &amp; more');
  });

  it('says when the database did not answer, so that trying again later is worth it, and otherwise does not', async () => {
    const dropped = new Error('Failed query: insert into "timeline_events" …', { cause: Object.assign(new Error('Connection terminated unexpectedly'), {}) });
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
    for (const error of [dropped, refused]) {
      expect(refusal(error, 'note rollback done')).toMatch(/^Klaxon cannot reach its database right now\. Try again in a minute; .*\nNothing was changed\./);
    }
    const violated = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    expect(refusal(violated, 'note rollback done')).toMatch(/^Something went wrong on Klaxon’s side and was logged\./);
  });
});
