/**
 * The simulator's workspace: the people of klaxon.example.yml (its rotas name them by these ids), spread over
 * time zones as an on-call team is, and the channels an incident bot meets on its first day.
 */
import type { ChannelSeed, UserSeed } from './slack/index.ts';

export const SEEDED_USERS: UserSeed[] = [
  { id: 'U01ALICE', name: 'alice', real_name: 'Alice Archer', tz: 'Europe/London' },
  { id: 'U01BOB', name: 'bob', real_name: 'Bob Baker', tz: 'Europe/London' },
  { id: 'U01CAROL', name: 'carol', real_name: 'Carol Chen', tz: 'Europe/Berlin' },
  { id: 'U01DAVE', name: 'dave', real_name: 'Dave Diaz', tz: 'Europe/Madrid' },
  { id: 'U01ERIN', name: 'erin', real_name: 'Erin Evans', tz: 'America/New_York' },
  { id: 'U01FRANK', name: 'frank', real_name: 'Frank Fischer', tz: 'America/Chicago' },
  { id: 'U01MANAGER', name: 'maya', real_name: 'Maya Moreau', tz: 'Europe/Paris' },
];

export const INCIDENTS_CHANNEL_ID = 'C0INCIDENTS';

const everyone = SEEDED_USERS.map((u) => u.id);

export const SEEDED_CHANNELS: ChannelSeed[] = [
  { id: 'C0GENERAL', name: 'general', members: everyone, topic: 'Company-wide announcements' },
  { id: INCIDENTS_CHANNEL_ID, name: 'incidents', members: [...everyone, 'U0KLAXON'], topic: 'Every incident, announced by Klaxon' },
  { id: 'C0PAYMENTS', name: 'payments-eng', members: ['U01ALICE', 'U01BOB', 'U01CAROL', 'U01DAVE', 'U01MANAGER'], topic: 'The payments team' },
];
