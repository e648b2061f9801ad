/**
 * What to tell a person whose request met a Slack failure: whether trying again will help, and when, or what
 * will help instead. Used wherever a command, click or form is answered.
 */
import type { SlackCallError } from './slack-gateway.ts';

/** What a Slack refusal asks of whoever runs Klaxon. */
const FIXES: Record<string, string> = {
  missing_scope: 'Klaxon’s Slack app lacks a permission: whoever runs Klaxon should reinstall it from manifest.yml',
  invalid_auth: 'Klaxon’s Slack token is not accepted: whoever runs Klaxon should check SLACK_BOT_TOKEN',
  not_authed: 'Klaxon’s Slack token is not accepted: whoever runs Klaxon should check SLACK_BOT_TOKEN',
  account_inactive: 'Klaxon’s Slack token is not accepted: whoever runs Klaxon should check SLACK_BOT_TOKEN',
  token_revoked: 'Klaxon’s Slack token was revoked: whoever runs Klaxon should reinstall the app',
};

export function slackTroubleText(error: SlackCallError): string {
  if (error.code === 'rate_limited') return `Slack is limiting how fast Klaxon may call it right now. Try again ${inAbout(error.retryAfterMs)}.`;
  if (error.retryable) return `Slack did not answer Klaxon in time. Try again in a minute; if it keeps happening, Slack may be down or out of Klaxon’s reach (Klaxon’s /healthz says which).`;
  const fix = FIXES[error.code];
  return `Slack refused \`${error.method}\` (\`${error.code}\`)${fix ? `. ${fix}.` : ': trying again will not help; whoever runs Klaxon will find the details in its log.'}`;
}

function inAbout(retryAfterMs: number | undefined): string {
  if (retryAfterMs === undefined || retryAfterMs <= 60_000) return 'in a minute';
  return `in ${Math.ceil(retryAfterMs / 60_000)} minutes`;
}
