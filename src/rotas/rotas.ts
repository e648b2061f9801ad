/**
 * The schedules Klaxon runs: klaxon.yml's rotations with the file's overrides and those made in Slack, and a
 * handoff table per schedule so that "who is on call" is a binary search, not date arithmetic. Rebuilt when an
 * override changes and as time moves past the tables' window.
 */
import type { KlaxonFile } from '../core/config.ts';
import { buildHandoffTable, type HandoffTable } from './handoff-table.ts';
import { onCallBetween, ROTA_HORIZON, scheduleFromConfig, whoIsOnCall, type OnCall, type Override, type Schedule } from './rota.ts';
import { DAY } from '../core/duration.ts';

/** How far the tables reach: lookups outside fall back to the direct computation. */
const TABLE_BEHIND = 2 * DAY;
const TABLE_AHEAD = ROTA_HORIZON;

export class Rotas {
  private schedules = new Map<string, Schedule>();
  private tables = new Map<string, HandoffTable>();
  private builtAt = 0;
  private builtFrom = '';

  private constructor(
    private readonly file: KlaxonFile,
    /** Overrides made in Slack that are still in force. */
    private readonly slackOverrides: () => Promise<(Override & { scheduleId: string })[]>,
    private readonly now: () => number,
    /**
     * A value that changes whenever an override is made or removed (from the database): a thread that did
     * not make the change itself rebuilds when it sees a new one.
     */
    private readonly overridesVersion: () => Promise<string>,
  ) {}

  /** The schedules, built from the file and the overrides in the database. */
  static async load(
    file: KlaxonFile,
    slackOverrides: () => Promise<(Override & { scheduleId: string })[]>,
    now: () => number,
    overridesVersion: () => Promise<string> = async () => '',
  ): Promise<Rotas> {
    const rotas = new Rotas(file, slackOverrides, now, overridesVersion);
    await rotas.reload();
    return rotas;
  }

  /** Rebuilds every schedule and table (after an override is added or removed). */
  async reload(): Promise<void> {
    const version = await this.overridesVersion();
    const slack = await this.slackOverrides();
    // Recorded with the tables it built: a lookup made while this reads still sees a stale version and rebuilds too.
    this.builtFrom = version;
    this.builtAt = this.now();
    this.schedules = new Map(
      this.file.schedules.map((config) => [config.id, scheduleFromConfig(config, this.file.timezone, slack.filter((o) => o.scheduleId === config.id))]),
    );
    this.tables = new Map([...this.schedules].map(([id, schedule]) => [id, buildHandoffTable(schedule, this.builtAt - TABLE_BEHIND, this.builtAt + TABLE_AHEAD)]));
  }

  /** Rebuilds when the tables are a week old or the overrides changed since. */
  private async current(): Promise<void> {
    if (this.now() - this.builtAt > 7 * DAY || (await this.overridesVersion()) !== this.builtFrom) await this.reload();
  }

  ids(): string[] {
    return [...this.schedules.keys()];
  }

  schedule(id: string): Schedule | undefined {
    return this.schedules.get(id);
  }

  /** Who is on call for a schedule at `at` (undefined: nobody, or no such schedule). */
  async onCall(scheduleId: string, at: number): Promise<OnCall | undefined> {
    await this.current();
    const table = this.tables.get(scheduleId);
    if (table) return table.whoIsOnCall(at);
    const schedule = this.schedules.get(scheduleId);
    return schedule ? whoIsOnCall(schedule, at) : undefined;
  }

  onCallUser = async (scheduleId: string, at: number): Promise<string | undefined> => (await this.onCall(scheduleId, at))?.userId;

  /** One person's stretches of on-call time overlapping [from, to), across every schedule, soonest first. */
  async shiftsOf(userId: string, from: number, to: number): Promise<(OnCall & { scheduleId: string })[]> {
    const shifts: (OnCall & { scheduleId: string })[] = [];
    for (const scheduleId of this.ids()) {
      for (const s of await this.between(scheduleId, from, to)) if (s.userId === userId) shifts.push({ ...s, scheduleId });
    }
    return shifts.sort((a, b) => a.start - b.start);
  }

  /** The stretches of on-call time overlapping [from, to). */
  async between(scheduleId: string, from: number, to: number): Promise<OnCall[]> {
    await this.current();
    const schedule = this.schedules.get(scheduleId);
    return schedule ? onCallBetween(schedule, from, to) : [];
  }
}
