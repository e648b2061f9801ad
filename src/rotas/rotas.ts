/**
 * The schedules Klaxon runs: klaxon.yml's rotations with the file's overrides and those made in Slack, and a
 * handoff table per schedule so that "who is on call" is a binary search, not date arithmetic. Rebuilt when an
 * override changes and as time moves past the tables' window.
 */
import type { KlaxonFile } from '../core/config.ts';
import { buildHandoffTable, type HandoffTable } from './handoff-table.ts';
import { onCallBetween, scheduleFromConfig, whoIsOnCall, type OnCall, type Override, type Schedule } from './rota.ts';
import { DAY, WEEK } from '../core/duration.ts';

/** How far ahead rotas are tabled, announced and reported on. */
export const ROTA_HORIZON = 12 * WEEK;

/** How far the tables reach: lookups outside fall back to the direct computation. */
const TABLE_BEHIND = 2 * DAY;
const TABLE_AHEAD = ROTA_HORIZON;

export class Rotas {
  private schedules = new Map<string, Schedule>();
  private tables = new Map<string, HandoffTable>();
  private builtAt = 0;
  private builtFrom = '';

  constructor(
    private readonly file: KlaxonFile,
    /** Overrides made in Slack that are still in force. */
    private readonly slackOverrides: () => (Override & { scheduleId: string })[],
    private readonly now: () => number,
    /**
     * A value that changes whenever an override is made or removed (from the database): a thread that did
     * not make the change itself rebuilds when it sees a new one.
     */
    private readonly overridesVersion: () => string = () => '',
  ) {
    this.reload();
  }

  /** Rebuilds every schedule and table (after an override is added or removed). */
  reload(): void {
    this.builtFrom = this.overridesVersion();
    const slack = this.slackOverrides();
    this.builtAt = this.now();
    this.schedules = new Map(
      this.file.schedules.map((config) => [config.id, scheduleFromConfig(config, this.file.timezone, slack.filter((o) => o.scheduleId === config.id))]),
    );
    this.tables = new Map([...this.schedules].map(([id, schedule]) => [id, buildHandoffTable(schedule, this.builtAt - TABLE_BEHIND, this.builtAt + TABLE_AHEAD)]));
  }

  /** Rebuilds when the tables are a week old or the overrides changed since. */
  private current(): void {
    if (this.now() - this.builtAt > 7 * DAY || this.overridesVersion() !== this.builtFrom) this.reload();
  }

  ids(): string[] {
    return [...this.schedules.keys()];
  }

  schedule(id: string): Schedule | undefined {
    return this.schedules.get(id);
  }

  /** Who is on call for a schedule at `at` (undefined: nobody, or no such schedule). */
  onCall(scheduleId: string, at: number): OnCall | undefined {
    this.current();
    const table = this.tables.get(scheduleId);
    if (table) return table.whoIsOnCall(at);
    const schedule = this.schedules.get(scheduleId);
    return schedule ? whoIsOnCall(schedule, at) : undefined;
  }

  onCallUser = (scheduleId: string, at: number): string | undefined => this.onCall(scheduleId, at)?.userId;

  /** One person's stretches of on-call time overlapping [from, to), across every schedule, soonest first. */
  shiftsOf(userId: string, from: number, to: number): (OnCall & { scheduleId: string })[] {
    return this.ids()
      .flatMap((scheduleId) => this.between(scheduleId, from, to).filter((s) => s.userId === userId).map((s) => ({ ...s, scheduleId })))
      .sort((a, b) => a.start - b.start);
  }

  /** The stretches of on-call time overlapping [from, to). */
  between(scheduleId: string, from: number, to: number): OnCall[] {
    this.current();
    const schedule = this.schedules.get(scheduleId);
    return schedule ? onCallBetween(schedule, from, to) : [];
  }
}
