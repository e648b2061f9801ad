/**
 * The simulator's page and a post-mortem page in headless Chromium (Debian's `chromium`, driven by
 * playwright-core): a person declares an incident from the page, the paged person acknowledges from their DM,
 * the declarer adds a note through a modal, and the incident channel is photographed; then the post-mortem of
 * the scripted incident is read as a browser shows it. Neither page may log an error or break its CSP.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { many } from '../../src/core/db.ts';
import { playIncident } from '../../src/demo/scenario.ts';
import { startDemoWorld, type DemoWorld } from '../../src/demo/world.ts';
import { waitFor } from '../../src/simulator/wait.ts';
import { CHROMIUM_MISSING, findChromium } from '../support/chromium.ts';

const ALICE = 'U01ALICE';
const GENERAL = 'C0GENERAL';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const UI_WAIT = { timeout: 10_000 };

let browser: Browser;
let dir: string;
let world: DemoWorld | undefined;

beforeAll(async () => {
  const executablePath = findChromium(process.env.PATH);
  // Fails every test of the file with that one line (no stack: it is not a bug), never skips them.
  if (!executablePath) throw Object.assign(new Error(CHROMIUM_MISSING), { stack: CHROMIUM_MISSING });
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  dir = mkdtempSync(join(tmpdir(), 'klaxon-sim-browser-'));
}, 20_000);

afterEach(async () => {
  await world?.close();
  world = undefined;
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh page that records console errors, uncaught exceptions and Content-Security-Policy violations. */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  await page.exposeFunction('reportCspViolation', (what: string) => problems.push(`csp: ${what}`));
  // Runs in the page before its own scripts (as a string: this file is compiled without the DOM's types).
  await page.addInitScript({ content: "document.addEventListener('securitypolicyviolation', (e) => void window.reportCspViolation(e.violatedDirective + ' ' + e.blockedURI));" });
  return { page, problems };
}

const hasAcknowledge = (blocks: unknown[] | undefined): boolean => JSON.stringify(blocks ?? []).includes('"Acknowledge"');

describe('the /sim page in Chromium', () => {
  it('declares from the page, acknowledges the page as the on-call person, adds a note through a modal and shows the summary', async () => {
    world = await startDemoWorld({ outputDir: join(dir, 'sim'), port: 0, simPort: 0 });
    const { slack } = world;
    const { page, problems } = await watchedPage();
    await page.goto(`${world.simUrl}?user=${ALICE}&channel=${GENERAL}`);
    await expect.poll(() => page.locator('#person-line').textContent()).toBe('You are: alice (Alice Archer, Europe/London)');

    // Alice declares from #general and sees Klaxon's answer, shown to her alone.
    await page.locator('#composer-input').fill('/incident declare sev1 payments Card payments failing');
    await page.locator('#composer-input').press('Enter');
    const declared = page.locator('article[data-ephemeral="true"]', { hasText: 'INC-1 declared: Card payments failing' });
    await declared.waitFor(UI_WAIT);
    await expect.poll(() => declared.textContent()).toContain('Only visible to you');
    await expect.poll(() => page.locator('#composer-input').inputValue()).toBe('');

    // The incident channel appears in her sidebar; its pinned summary has the incident's buttons.
    const incidentItem = page.locator('.channel-item[data-name^="#inc-1-card-payments-failing"]');
    await incidentItem.waitFor(UI_WAIT);
    await incidentItem.click();
    const summary = page.locator('article[data-pinned="true"]', { hasText: 'INC-1: Card payments failing' });
    await summary.waitFor(UI_WAIT);
    for (const actionId of ['incident.update', 'incident.status', 'incident.note', 'incident.resolve']) await expect.poll(() => summary.locator(`button[data-action-id="${actionId}"]`).count()).toBe(1);
    await expect.poll(() => summary.locator('.fields').textContent()).toContain('Investigating');

    // Whoever was paged switches to themselves, opens their DM with Klaxon and acknowledges.
    const pagedId = await waitFor(() => slack.state.users().find((u) => slack.state.dmsWith(u.id).some((m) => hasAcknowledge(m.blocks)))?.id, 'the page DM');
    const paged = slack.state.user(pagedId)!;
    await page.locator('#person').selectOption(pagedId);
    await expect.poll(() => page.locator('#person-line').textContent()).toBe(`You are: ${paged.name} (${paged.real_name}, ${paged.tz})`);
    await page.locator('.channel-item[data-name="Klaxon"]').click();
    await expect.poll(() => page.locator('#channel-title').textContent()).toBe('Klaxon');
    const ack = page.locator('article button[data-action-id="oncall.ack"]');
    await ack.waitFor(UI_WAIT);
    await ack.click();
    await page.locator('article', { hasText: 'You acknowledged' }).first().waitFor(UI_WAIT);
    await expect.poll(() => ack.count(), UI_WAIT).toBe(0);
    const row = await many(world.klaxon.database.db, sql`select status, user_id as "userId" from pages`);
    expect(row).toEqual([{ status: 'acknowledged', userId: pagedId }]);
    expect(slack.state.dmsWith(pagedId).some((m) => hasAcknowledge(m.blocks))).toBe(false);

    // Alice sees the acknowledgement in the incident channel, then adds a note through the summary's modal.
    await page.locator('#person').selectOption(ALICE);
    await incidentItem.click();
    await page.locator('article', { hasText: `@${paged.name} acknowledged` }).first().waitFor(UI_WAIT);
    await summary.locator('button[data-action-id="incident.note"]').click();
    const modal = page.locator('dialog#modal[open]');
    await modal.waitFor(UI_WAIT);
    await expect.poll(() => modal.locator('h2').textContent()).toBe('Note on INC-1');
    // An empty note is stopped by the form itself, as Slack's client does, before Klaxon hears of it.
    await modal.locator('button[type="submit"]').click();
    await expect.poll(() => modal.locator('[data-error-for="note"]').textContent()).toBe('Please complete this required field.');
    const note = 'Card authorisations time out since the 4.2 deploy <b>not bold</b>';
    await modal.locator('[data-block-id="note"] textarea').fill(note);
    await modal.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('dialog#modal[open]').count(), UI_WAIT).toBe(0);
    const noted = await many(world.klaxon.database.db, sql`select actor_id as "actorId", text from timeline_events where kind = 'note'`);
    expect(noted).toEqual([{ actorId: ALICE, text: note }]);
    await page.locator('#composer-input').fill('/incident timeline');
    await page.locator('#composer-input').press('Enter');
    // Typed markup comes back as text, never as elements.
    await page.locator('article[data-ephemeral="true"]', { hasText: note }).waitFor(UI_WAIT);
    expect(await page.locator('#messages b').count()).toBe(0);

    // The incident channel, photographed with its summary.
    await summary.scrollIntoViewIfNeeded();
    const shot = join(dir, 'incident-channel.png');
    const png = await page.screenshot({ path: shot });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(readFileSync(shot).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(await page.locator('main').innerText()).toContain('INC-1: Card payments failing');
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('shows the post-mortem of the scripted incident with its five whys, actions and root cause', async () => {
    world = await startDemoWorld({ outputDir: join(dir, 'postmortem'), port: 0, simPort: 0 });
    const played = await playIncident(world);
    const { page, problems } = await watchedPage();
    const response = await page.goto(`${world.klaxonUrl}/postmortems/${played.ref}`);
    expect(response?.status()).toBe(200);
    const headings = await page.locator('h1, h2').allInnerTexts();
    expect(headings).toEqual(expect.arrayContaining(['Five whys', 'Action items']));
    expect(headings.some((h) => h.includes('Card payments failing at checkout'))).toBe(true);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Root cause: Load tests are skipped for changes marked as configuration');
    expect(text).toContain('Run load tests on every release, configuration changes included');
    expect(await page.locator('h2', { hasText: 'Five whys' }).isVisible()).toBe(true);
    expect(problems).toEqual([]);
    // The watch would have seen a violation: an injected inline script is refused and reported.
    await page.evaluate("document.body.append(Object.assign(document.createElement('script'), { textContent: 'void 0' }))");
    await expect.poll(() => problems.some((p) => p.startsWith('csp: script-src'))).toBe(true);
    await page.close();
  }, 20_000);
});
