/** The incident as the rest of the code sees it, and the limits on what people type into one. */
import type { Severity } from './severity.ts';
import type { Status } from './status.ts';

export const TITLE_MAX = 150;
export const SUMMARY_MAX = 3000;

export interface Incident {
  /** The number people see as INC-<id>. */
  id: number;
  title: string;
  summary: string;
  severity: Severity;
  status: Status;
  serviceId: string | null;
  isPrivate: boolean;
  isDrill: boolean;
  declaredBy: string;
  declaredAt: number;
  impactStartedAt: number | null;
  impactEndedAt: number | null;
  /** The first acknowledgement of a page for it (time to acknowledge is acknowledgedAt − declaredAt). */
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  closedAt: number | null;
  leadId: string;
  channelId: string | null;
  channelName: string | null;
  summaryTs: string | null;
  announcementChannelId: string | null;
  announcementTs: string | null;
  provisioning: 'pending' | 'done' | 'failed';
  provisioningError: string | null;
  resolution: string | null;
  lastUpdateAt: number | null;
  lastRemindedAt: number | null;
  revision: number;
  updatedAt: number;
}
