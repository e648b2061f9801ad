/**
 * Fields every log line carries while one piece of work runs: the Slack request being answered (its event_id,
 * trigger_id or Socket Mode envelope_id) or the job being run, and the incident once it is known. Kept in
 * AsyncLocalStorage, so that a line written deep in a use case still says which request and incident it is about.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Fields = Record<string, unknown>;

const storage = new AsyncLocalStorage<Fields>();

/** Runs `fn` with these fields on every log line it writes (and those of the work it starts). */
export function withLogContext<T>(fields: Fields, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

/** Adds fields to the current context from here on (the incident, once the command names it). */
export function addLogContext(fields: Fields): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

export function logContext(): Fields | undefined {
  return storage.getStore();
}
