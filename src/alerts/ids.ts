/** Every Slack id and job kind the alerts feature uses. */
export const ids = {
  /** On an alert group's page DM and its message; the value is the group's id. */
  resolveButton: 'alerts.resolve',
  escalateButton: 'alerts.escalate',
  declareButton: 'alerts.declare',
  messageActions: 'alerts.message_actions',
} as const;

/** Job kinds of this feature. */
export const jobKinds = {
  /** Post or edit an alert group's message in its service's alert channel. */
  message: 'alerts.message',
  /** An integration's heartbeat deadline passes: page unless a heartbeat came since (key `heartbeat:<id>:<deadline>`). */
  heartbeatMissed: 'alerts.heartbeat_missed',
} as const;
