/** The timeline feature's public surface: the wiring and the CLI import only this. */
export { addNote, captureMessage, reflectDeletion, reflectEdit, releasePin, type CaptureDeps, type CapturedMessage, type CaptureOutcome } from './capture.ts';
export { timelineFor } from './show.ts';
export { timelineJson, timelineMarkdown } from './export.ts';
export { addTimelineEvent, visibleEntries } from './store.ts';
export { registerTimelineJobs } from './jobs.ts';
export { registerTimelineListeners, timelineSubcommands, type TimelineListenerDeps } from './listeners.ts';
export { installTimeline } from './install.ts';
