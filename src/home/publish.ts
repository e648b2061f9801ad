/**
 * The Home tab: published when someone opens it, and again for everyone who opened it in the last 30 days
 * when incidents change (one refresh job per two-second window, so a burst of changes publishes once).
 */
import { transaction } from '../core/db.ts';
import { DAY, SECOND, WEEK } from '../core/duration.ts';
import type { Kit } from '../core/kit.ts';
import { SlackCallError } from '../core/slack-gateway.ts';
import { listOpenIncidents, type Incident } from '../incidents/index.ts';
import { HOME_INCIDENTS_MAX, homeView, type HomeContent, type Shift } from './blocks.ts';
import { jobKinds } from './ids.ts';
import { recordVisit, visitorsSince } from './store.ts';

export interface HomeDeps extends Pick<Kit, 'db' | 'clock' | 'slack' | 'scheduler' | 'logger'> {
  shiftsOf(userId: string, from: number, to: number): Promise<Shift[]>;
  problemsOf(userId: string): Promise<HomeContent['problems']>;
}

const REFRESH_WINDOW = 2 * SECOND;
const VISITORS_SINCE = 30 * DAY;
const VISITORS_MAX = 500;
const SHIFTS_AHEAD = 2 * WEEK;

/** A private incident shows only on the Home tab of the people running it. */
function visibleTo(incident: Incident, userId: string): boolean {
  return !incident.isPrivate || incident.declaredBy === userId || incident.leadId === userId;
}

export async function publishHome(deps: HomeDeps, userId: string): Promise<void> {
  const now = deps.clock.now();
  const open = (await listOpenIncidents(deps.db, 500)).filter((incident) => visibleTo(incident, userId));
  const view = homeView({
    viewerId: userId,
    incidents: open.slice(0, HOME_INCIDENTS_MAX),
    moreIncidents: Math.max(0, open.length - HOME_INCIDENTS_MAX),
    shifts: await deps.shiftsOf(userId, now, now + SHIFTS_AHEAD),
    problems: await deps.problemsOf(userId),
    now,
  });
  await deps.slack.call('views.publish', { user_id: userId, view });
}

/**
 * `app_home_opened` on the Home tab: remember the visitor and publish their tab. If Slack is busy (429, 5xx),
 * the refresh job publishes it once Slack answers again.
 */
export async function openedHome(deps: HomeDeps, userId: string): Promise<void> {
  const at = deps.clock.now();
  await recordVisit(deps.db, userId, at);
  try {
    await publishHome(deps, userId);
  } catch (error) {
    if (!(error instanceof SlackCallError) || !error.retryable) throw error;
    await transaction(deps.db, () => scheduleHomeRefresh(deps, at));
  }
}

/** Call inside the transaction of a change the Home tab shows. */
export async function scheduleHomeRefresh(deps: Pick<HomeDeps, 'db' | 'scheduler'>, at: number): Promise<void> {
  const window = Math.floor(at / REFRESH_WINDOW);
  await deps.scheduler.schedule(deps.db, { kind: jobKinds.refresh, key: `home:${window}`, dueAt: (window + 1) * REFRESH_WINDOW, payload: {} });
}

/** The refresh job: one person's refusal (a deactivated account) does not stop the others. */
export async function refreshHomes(deps: HomeDeps): Promise<void> {
  for (const userId of await visitorsSince(deps.db, deps.clock.now() - VISITORS_SINCE, VISITORS_MAX)) {
    try {
      await publishHome(deps, userId);
    } catch (error) {
      if (!(error instanceof SlackCallError) || error.retryable) throw error;
      deps.logger.warn('a Home tab was not published', { userId, code: error.code });
    }
  }
}
