import { describe, expect, it } from 'vitest';
import { loadEnv, parseKlaxonFile, problemWebhook } from '../../../src/core/config.ts';
import { ConfigError } from '../../../src/core/errors.ts';

const base = { SLACK_BOT_TOKEN: 'xoxb-123', SLACK_SIGNING_SECRET: 'secret' };

function envError(source: Record<string, string | undefined>): string {
  try {
    loadEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

function fileError(text: string): string {
  try {
    parseKlaxonFile(text, 'klaxon.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEnv', () => {
  it('applies the documented defaults', () => {
    const env = loadEnv(base);
    expect(env).toMatchObject({ port: 3000, slackApiUrl: 'https://slack.com/api/', publicUrl: 'http://localhost:3000', dbFile: './data/klaxon.db', configFile: './klaxon.yml', runbooksDir: './runbooks', logLevel: 'info' });
    expect(env.incidentsChannel).toBeUndefined();
  });

  it('says which variables to set when there is no bot token', () => {
    expect(envError({})).toMatch(/^SLACK_BOT_TOKEN is not set: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET/);
  });

  it('names the malformed variable and what it got, in one line', () => {
    expect(envError({ ...base, PORT: 'abc' })).toBe('PORT must be a whole number from 0 to 65535 (got "abc")');
    expect(envError({ ...base, SLACK_BOT_TOKEN: 'xoxp-user' })).toMatch(/^SLACK_BOT_TOKEN must be a bot token starting with "xoxb-"/);
    expect(envError({ ...base, INCIDENTS_CHANNEL: '#incidents' })).toMatch(/^INCIDENTS_CHANNEL must be a channel ID/);
    expect(envError({ ...base, LOG_LEVEL: 'loud' })).toMatch(/^LOG_LEVEL must be one of/);
    expect(envError({ ...base, SLACK_API_URL: 'not a url' })).toMatch(/^SLACK_API_URL must be an http\(s\) URL/);
    for (const message of [envError({ ...base, PORT: '99999' })]) expect(message.split('\n')).toHaveLength(1);
  });

  it('never repeats a secret or a password in its answer', () => {
    expect(envError({ ...base, SLACK_BOT_TOKEN: 'xoxp-1234-secret' })).toBe('SLACK_BOT_TOKEN must be a bot token starting with "xoxb-" (got "xoxp-…")');
    expect(envError({ ...base, SLACK_APP_TOKEN: 'xoxb-not-an-app-token' })).toContain('(got "xoxb-…")');
    expect(envError({ ...base, SLACK_API_URL: 'ftp://bot:hunter2@slack.example/api' })).toBe('SLACK_API_URL must be an http(s) URL (got "ftp://bot:***@slack.example/api")');
  });

  it('takes a Postgres URL in KLAXON_DB, and refuses one without a host or database without repeating its password', () => {
    expect(loadEnv({ ...base, KLAXON_DB: 'postgres://klaxon:hunter2@db.example:5432/klaxon' }).dbFile).toBe('postgres://klaxon:hunter2@db.example:5432/klaxon');
    expect(envError({ ...base, KLAXON_DB: 'postgres://klaxon:hunter2@db.example' })).toBe(
      'KLAXON_DB is not a Postgres URL Klaxon can use: write postgres://user:password@host:5432/database (got "postgres://klaxon:***@db.example")',
    );
  });

  it('needs the signing secret in HTTP mode but not in Socket Mode', () => {
    expect(envError({ SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/^SLACK_SIGNING_SECRET is not set/);
    expect(loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A' }).appToken).toBe('xapp-1-A');
  });

  it('treats empty values as unset, as in a copied .env.example', () => {
    expect(loadEnv({ ...base, PORT: '', LOG_LEVEL: '' }).port).toBe(3000);
  });
});

const GOOD = `
timezone: Europe/London
services:
  - id: payments
    name: Payments API
    escalation_policy: payments
schedules:
  - id: payments-primary
    rotation: { kind: weekly, handoff: "mon 09:00", start: 2026-01-05, participants: [U01ALICE, U01BOB] }
escalation_policies:
  - id: payments
    levels:
      - targets: [schedule:payments-primary, user:U01MANAGER]
        timeout: 5m
`;

describe('parseKlaxonFile', () => {
  it('reads the whole schema with defaults', () => {
    const file = parseKlaxonFile(GOOD, 'klaxon.yml');
    expect(file.services[0]).toEqual({ id: 'payments', name: 'Payments API', escalation_policy: 'payments', runbook_tags: [] });
    expect(file.escalation_policies[0]!.repeat).toBe(0);
    expect(file.schedules[0]!.overrides).toEqual([]);
  });

  it('reads the shipped example', async () => {
    const { readFileSync } = await import('node:fs');
    const file = parseKlaxonFile(readFileSync('klaxon.example.yml', 'utf8'), 'klaxon.example.yml');
    expect(file.services.map((s) => s.id)).toEqual(['payments', 'search']);
    expect(file.update_reminders).toEqual({ sev1: '15m', sev2: '30m', sev3: '1h', sev4: '1h' });
  });

  it('checks problem_webhook and reads its secret from the environment when named there', () => {
    const hook = (body: string) => `${GOOD}\nproblem_webhook:\n${body}`;
    expect(fileError(hook('  url: https://h.example/k\n'))).toBe('klaxon.yml: problem_webhook: needs exactly one of secret or secret_env');
    expect(fileError(hook('  url: ftp://h.example/k\n  secret: 0123456789abcdef\n'))).toBe('klaxon.yml: problem_webhook.url: must be an http(s) URL');
    expect(fileError(hook('  url: https://h.example/k\n  secret: short\n'))).toBe('klaxon.yml: problem_webhook.secret: must be at least 16 characters');
    const file = parseKlaxonFile(hook('  url: https://h.example/k\n  secret_env: HOOK_SECRET\n'), 'klaxon.yml');
    expect(problemWebhook(file, { HOOK_SECRET: 's3cret-from-env' })).toEqual({ url: 'https://h.example/k', secret: 's3cret-from-env' });
    expect(() => problemWebhook(file, {})).toThrow('problem_webhook.secret_env: the environment variable HOOK_SECRET is not set');
  });

  it('checks the update reminder intervals', () => {
    expect(fileError(`${GOOD}\nupdate_reminders:\n  sev1: soon\n`)).toBe('klaxon.yml: update_reminders.sev1: must be a duration such as 30s, 5m or 1h');
    expect(fileError(`${GOOD}\nupdate_reminders:\n  sev5: 5m\n`)).toBe('klaxon.yml: update_reminders: unknown key "sev5"');
    expect(parseKlaxonFile(`${GOOD}\nupdate_reminders:\n  sev1: 10m\n`, 'klaxon.yml').update_reminders).toEqual({ sev1: '10m' });
  });

  it('names the file, the path and the problem', () => {
    expect(fileError(GOOD.replace('escalation_policy: payments', 'escalation_policy: payment'))).toBe('klaxon.yml: services[0].escalation_policy: unknown escalation policy "payment" (known: payments)');
    expect(fileError(GOOD.replace('schedule:payments-primary', 'schedule:nope'))).toBe('klaxon.yml: escalation_policies[0].levels[0].targets[0]: unknown schedule "nope" (known: payments-primary)');
    expect(fileError(GOOD.replace('timeout: 5m', 'timeout: 5 minutes'))).toBe('klaxon.yml: escalation_policies[0].levels[0].timeout: must be a duration such as 30s, 5m or 1h');
    expect(fileError(GOOD.replace('timezone: Europe/London', 'timezone: Mars/Olympus'))).toBe('klaxon.yml: timezone: unknown time zone "Mars/Olympus"');
    expect(fileError(GOOD.replace('"mon 09:00"', '"monday 9am"'))).toBe('klaxon.yml: schedules[0].rotation.handoff: must be a weekday and time such as "mon 09:00"');
    expect(fileError(GOOD.replace('name: Payments API', 'name: Payments API\n    colour: red'))).toBe('klaxon.yml: services[0]: unknown key "colour"');
    expect(fileError(`${GOOD}  - id: payments\n    levels: [{ targets: [user:U01X], timeout: 1m }]\n`)).toBe('klaxon.yml: escalation_policies[1].id: duplicate id "payments"');
  });

  it('refuses rotas that cannot work as written', () => {
    const withOverrides = (overrides: string) => GOOD.replace('participants: [U01ALICE, U01BOB] }', `participants: [U01ALICE, U01BOB] }\n    overrides:\n${overrides}`);
    expect(fileError(GOOD.replace('start: 2026-01-05', 'start: 2026-01-06'))).toBe(
      'klaxon.yml: schedules[0].rotation.start: 2026-01-06 is a Tuesday, but this weekly rotation hands off on Mondays: start it on a Monday',
    );
    expect(fileError(GOOD.replace('timeout: 5m', 'timeout: 0m'))).toBe('klaxon.yml: escalation_policies[0].levels[0].timeout: must be from 1s to 24h');
    expect(fileError(GOOD.replace('timeout: 5m', 'timeout: 48h'))).toBe('klaxon.yml: escalation_policies[0].levels[0].timeout: must be from 1s to 24h');
    expect(fileError(withOverrides('      - { user: U01DAVE, from: 2026-11-24T09:00, to: 2026-11-24T08:00 }'))).toBe('klaxon.yml: schedules[0].overrides[0].to: must be after from');
    expect(fileError(withOverrides('      - { user: U01DAVE, from: 2026-02-30T09:00, to: 2026-03-01T08:00 }'))).toBe('klaxon.yml: schedules[0].overrides[0].from: "2026-02-30T09:00" is not a real date and time');
    expect(fileError(withOverrides('      - { user: U01DAVE, from: 2026-11-24T09:00, to: 2026-11-25T09:00 }\n      - { user: U01ERIN, from: 2026-11-25T08:00, to: 2026-11-26T09:00 }'))).toBe(
      'klaxon.yml: schedules[0].overrides[1]: overlaps overrides[0] (U01DAVE from 2026-11-24T09:00 to 2026-11-25T09:00); split the time between them so that one person is on call at a time',
    );
    // Back to back is not an overlap.
    expect(() => parseKlaxonFile(withOverrides('      - { user: U01DAVE, from: 2026-11-24T09:00, to: 2026-11-25T09:00 }\n      - { user: U01ERIN, from: 2026-11-25T09:00, to: 2026-11-26T09:00 }'), 'klaxon.yml')).not.toThrow();
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(fileError('services:\n  - id: [unclosed\n')).toMatch(/^klaxon\.yml: line \d+, column \d+: /);
  });

  it('accepts an empty file as no services', () => {
    expect(parseKlaxonFile('', 'klaxon.yml').services).toEqual([]);
  });
});
