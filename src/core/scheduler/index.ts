export { Scheduler, type JobContext, type JobHandler, type SchedulerOptions } from './scheduler.ts';
export { getJob, type JobRow, type NewJob } from './job-store.ts';
