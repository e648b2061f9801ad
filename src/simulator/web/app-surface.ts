/**
 * What the app's manifest lets a person do in Slack, read from manifest.yml so the page offers exactly that:
 * its slash commands (and whether Slack escapes mentions in their text), its message shortcuts, and whether
 * people may write in the app's Messages tab; and the bot scopes, which the simulated Web API enforces.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

export interface SlashCommand {
  /** `/incident` */
  command: string;
  description: string;
  usageHint: string;
  /** Slack turns `@name` and `#channel` into `<@U…|name>` and `<#C…|name>` in the text it sends. */
  shouldEscape: boolean;
}

export interface MessageShortcut {
  callbackId: string;
  /** What the message menu says. */
  name: string;
}

export interface AppSurface {
  commands: SlashCommand[];
  messageShortcuts: MessageShortcut[];
  /** People cannot write in the app's DM (they still see what it sends there). */
  messagesTabReadOnly: boolean;
  /** The bot token's scopes: a call needing more is refused, as Slack would. */
  botScopes: string[];
}

const ManifestSchema = z.object({
  features: z
    .object({
      app_home: z.object({ messages_tab_enabled: z.boolean().optional(), messages_tab_read_only_enabled: z.boolean().optional() }).optional(),
      slash_commands: z.array(z.object({ command: z.string(), description: z.string().optional(), usage_hint: z.string().optional(), should_escape: z.boolean().optional() })).optional(),
      shortcuts: z.array(z.object({ name: z.string(), type: z.string(), callback_id: z.string() })).optional(),
    })
    .optional(),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()).optional() }).optional() }).optional(),
});

const MANIFEST = resolve(dirname(fileURLToPath(import.meta.url)), '../../../manifest.yml');

export function appSurface(manifestYaml: string): AppSurface {
  const manifest = ManifestSchema.parse(parse(manifestYaml));
  const features = manifest.features;
  const home = features?.app_home;
  return {
    commands: (features?.slash_commands ?? []).map((c) => ({ command: c.command, description: c.description ?? '', usageHint: c.usage_hint ?? '', shouldEscape: c.should_escape === true })),
    messageShortcuts: (features?.shortcuts ?? []).filter((s) => s.type === 'message').map((s) => ({ callbackId: s.callback_id, name: s.name })),
    messagesTabReadOnly: home?.messages_tab_enabled !== true || home.messages_tab_read_only_enabled === true,
    botScopes: manifest.oauth_config?.scopes?.bot ?? [],
  };
}

/** The surface of Klaxon's own manifest.yml. */
export function klaxonAppSurface(): AppSurface {
  return appSurface(readFileSync(MANIFEST, 'utf8'));
}
