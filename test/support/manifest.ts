/** manifest.yml as the tests read it. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface Manifest {
  features: { slash_commands?: { command: string; should_escape?: boolean }[]; shortcuts?: { callback_id: string; type: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions?: { request_url: string; bot_events?: string[] }; interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean };
}

export function readManifest(): Manifest {
  return parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as Manifest;
}

export function manifestBotScopes(): string[] {
  return readManifest().oauth_config.scopes.bot;
}
