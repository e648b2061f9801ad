/** The timeline feature, installed: notes, pins and the shortcut, edits followed, the timeline shown. */
import type { Kit } from '../core/kit.ts';
import { findIncidentIdByChannel, getIncident } from '../incidents/index.ts';
import { addNote, captureMessage, reflectDeletion, reflectEdit, releasePin, type CapturedMessage } from './capture.ts';
import { registerTimelineJobs } from './jobs.ts';
import { registerTimelineListeners, timelineSubcommands } from './listeners.ts';
import { timelineFor } from './show.ts';

export function installTimeline(kit: Kit): void {
  const { db, clock, scheduler } = kit;
  const captureDeps = { db, clock, scheduler };
  registerTimelineJobs(scheduler, { ...captureDeps, slack: kit.slack });
  if (!kit.answersSlack) return;
  const deps = {
    incidentIdByChannel: (channelId: string) => findIncidentIdByChannel(db, channelId),
    incident: (id: number) => getIncident(db, id),
    addNote: (incidentId: number, text: string, by: string) => addNote(captureDeps, incidentId, text, by),
    capture: (message: CapturedMessage, by: string, via: 'pin' | 'shortcut') => captureMessage(captureDeps, message, by, via),
    releasePin: async (channelId: string, ts: string, by: string) => {
      await releasePin(captureDeps, channelId, ts, by);
    },
    reflectEdit: async (channelId: string, ts: string, text: string) => {
      await reflectEdit(captureDeps, channelId, ts, text);
    },
    reflectDeletion: async (channelId: string, ts: string) => {
      await reflectDeletion(captureDeps, channelId, ts);
    },
    page: (incidentId: number, userId: string, page: number) => timelineFor({ db, slack: kit.slackNow, profiles: kit.profilesNow }, incidentId, userId, page),
    openModal: kit.openModal,
  };
  kit.subcommands.push(...timelineSubcommands(deps));
  registerTimelineListeners(kit.listeners, deps);
}
