/**
 * manifest.yml declares exactly what the code registers and uses: the same commands, shortcuts and events, and
 * the bot scopes that the Web API methods Klaxon calls need (taken from the fake Slack's method table, which
 * mirrors Slack's own), no more and no fewer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, createKlaxon } from '../../src/main.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { METHODS } from '../../src/simulator/slack/methods/index.ts';
import { Workspace } from '../../src/simulator/slack/state.ts';
import { tempDir } from '../support/db.ts';
import { readManifest } from '../support/manifest.ts';

/** Scopes Klaxon asks for beyond what a method strictly needs, and why. */
const OPTIONAL_SCOPES: Record<string, string> = {
  'chat:write.public': 'announce in a public INCIDENTS_CHANNEL without being invited to it',
  'im:history': 'after a crash, find a page DM whose posting was not recorded (conversations.history on an IM)',
};

/** The scopes Slack requires to subscribe to each bot event (https://api.slack.com/events). */
const EVENT_SCOPES: Record<string, string[]> = {
  app_home_opened: [],
  reaction_added: ['reactions:read'],
  reaction_removed: ['reactions:read'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
};

/**
 * For each kind of channel Klaxon works in (public and private), the scopes of which a method accepts any one.
 * conversations.list checks one read scope per channel type it is asked for; Klaxon asks for both.
 */
function acceptedScopes(method: string): string[][] {
  if (method === 'conversations.list') return [['channels:read'], ['groups:read']];
  const def = METHODS.get(method);
  if (!def) throw new Error(`the fake Slack does not know ${method}`);
  if (Array.isArray(def.scopes)) return def.scopes.length ? [[...def.scopes]] : [];
  const ws = new Workspace({ team: { id: 'T1', name: 't', domain: 't' }, botUserId: 'U0BOT', botId: 'B0BOT', appId: 'A0APP', channels: [{ id: 'C0PUB', name: 'pub' }, { id: 'G0PRIV', name: 'priv', is_private: true }] });
  const rule = def.scopes as (args: Record<string, unknown>, w: Workspace) => readonly string[];
  return [[...rule({ channel: 'C0PUB', is_private: 'false' }, ws)], [...rule({ channel: 'G0PRIV', is_private: 'true' }, ws)]].filter((list) => list.length > 0);
}

/** Every Web API method named in src/ as a call: `.call('method'`, `.send(key, 'method'`, `'method'` in views. */
function methodsCalledInSource(): Set<string> {
  const methods = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // The simulator implements Slack's side of these methods; the demo only drives it.
      if (entry.isDirectory() && (path === join('src', 'simulator') || path === join('src', 'demo'))) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const source = readFileSync(path, 'utf8');
        for (const match of source.matchAll(/'((?:auth|apps|chat|conversations|pins|views|users|reactions|files|bookmarks|usergroups)\.[a-zA-Z.]+)'/g)) methods.add(match[1]!);
      }
    }
  };
  walk('src');
  return methods;
}

describe('manifest.yml', async () => {
  const manifest = readManifest();
  const tmp = tempDir();
  const { config } = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-manifest-test', SLACK_SIGNING_SECRET: 's', KLAXON_DB: join(tmp.dir, 'k.db'), KLAXON_CONFIG: join(tmp.dir, 'none.yml') });
  const klaxon = await createKlaxon(config, { logger: silentLogger });
  const { registered } = klaxon;
  await klaxon.database.close();
  tmp.remove();

  it('declares exactly the commands the code registers', () => {
    expect(new Set(manifest.features.slash_commands?.map((c) => c.command))).toEqual(registered.commands);
    expect(manifest.features.slash_commands?.every((c) => c.should_escape === true)).toBe(true);
  });

  it('declares exactly the shortcuts the code registers', () => {
    expect(new Set(manifest.features.shortcuts?.map((s) => s.callback_id) ?? [])).toEqual(registered.shortcuts);
  });

  it('declares exactly the events the code listens to', () => {
    // Bolt listens to `message`; the manifest subscribes to it per kind of conversation (message.channels …).
    expect(new Set((manifest.settings.event_subscriptions?.bot_events ?? []).map((e) => e.replace(/^message\..*$/, 'message')))).toEqual(registered.events);
  });

  it('asks for the scope each subscribed event needs', () => {
    const granted = new Set(manifest.oauth_config.scopes.bot);
    for (const event of manifest.settings.event_subscriptions?.bot_events ?? []) {
      expect(EVENT_SCOPES[event], `no scope known for ${event}`).toBeDefined();
      for (const scope of EVENT_SCOPES[event]!) expect(granted.has(scope), `${event} needs ${scope}`).toBe(true);
    }
  });

  it('sends commands, interactivity and events to /slack/events, with Socket Mode switchable', () => {
    const urls = [...(manifest.features.slash_commands ?? []).map((c) => (c as { url?: string }).url), manifest.settings.interactivity.request_url, manifest.settings.event_subscriptions?.request_url];
    for (const url of urls) expect(url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('asks for a scope for every method the code calls, in public and private channels', () => {
    const granted = new Set(manifest.oauth_config.scopes.bot);
    for (const method of methodsCalledInSource()) {
      for (const accepted of acceptedScopes(method)) expect(accepted.some((scope) => granted.has(scope)), `${method} needs one of ${accepted.join(', ')}`).toBe(true);
    }
  });

  it('asks for no scope that no called method accepts', () => {
    const usable = new Set(Object.keys(OPTIONAL_SCOPES));
    if (registered.commands.size || registered.shortcuts.size) usable.add('commands');
    for (const method of methodsCalledInSource()) for (const accepted of acceptedScopes(method)) accepted.forEach((scope) => usable.add(scope));
    for (const event of manifest.settings.event_subscriptions?.bot_events ?? []) for (const scope of EVENT_SCOPES[event] ?? []) usable.add(scope);
    const unused = manifest.oauth_config.scopes.bot.filter((scope) => !usable.has(scope));
    expect(unused).toEqual([]);
  });
});
