/**
 * What every feature's `install` builds on: the shared machinery, and the places where it registers what it
 * answers (Slack listeners and sub-commands, HTTP routes) and what it runs (jobs, on the scheduler). main.ts
 * builds one kit per instance; on the job thread nothing answers Slack, so installs register jobs only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ModalView } from '@slack/types';
import type { Clock } from './clock.ts';
import type { KeyedLock } from './keyed-lock.ts';
import type { Config } from './config.ts';
import type { Db } from './db.ts';
import type { Logger } from './logger.ts';
import type { Outbox } from './outbox.ts';
import type { Scheduler } from './scheduler/index.ts';
import type { SlackGateway } from './slack-gateway.ts';
import type { SlackListeners } from './slack-listeners.ts';
import type { SubCommand } from './subcommand.ts';
import type { UserProfiles } from './user-profiles.ts';
import type { WebLinks } from './web-links.ts';

export interface HttpRoute {
  path: string;
  method: 'GET' | 'POST';
  /** May be async: a rejection is logged and answered 500 (Bolt does not await route handlers). */
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

/**
 * The rules that cross features (src/flows.ts implements them): features announce what happened, inside the
 * transaction that recorded it, and the flows say what follows in other features.
 */
/** A new incident, as the flows hear of it: `alertGroupId` when it was declared from an alert ("Declare incident"). */
export interface DeclaredIncident {
  id: number;
  serviceId: string | null;
  declaredBy: string;
  alertGroupId?: number;
}

export interface FlowEvents {
  incidentDeclared(incident: DeclaredIncident, at: number): Promise<void>;
  channelReady(incidentId: number, at: number): Promise<void>;
  incidentResolved(incidentId: number, at: number): Promise<void>;
  homeChanged(at: number): Promise<void>;
  similarFound(incidentId: number, similarIds: number[], at: number): Promise<void>;
  alertAcknowledged(alertGroupId: number, userId: string, at: number): Promise<void>;
}

export interface Kit {
  config: Config;
  db: Db;
  clock: Clock;
  /** One at a time per key (an escalation's messages, a post-mortem's publication), across instances too. */
  locks: KeyedLock;
  logger: Logger;
  scheduler: Scheduler;
  outbox: Outbox;
  /** For jobs: calls wait up to 10 s. */
  slack: SlackGateway;
  /** For calls made while a person waits for the answer: they give up in time for Slack's 3 s. */
  slackNow: SlackGateway;
  profiles: UserProfiles;
  /** Profiles read while a person waits (through slackNow). */
  profilesNow: UserProfiles;
  links: WebLinks;
  linkSecret: () => string;
  flows: FlowEvents;
  /** False on the job thread: there, installs register their jobs and nothing else. */
  answersSlack: boolean;
  listeners: SlackListeners;
  subcommands: SubCommand[];
  routes: HttpRoute[];
  /** Opens a modal with a trigger_id; a refusal is a UserError for the person who clicked. */
  openModal(triggerId: string, view: ModalView): Promise<void>;
}
