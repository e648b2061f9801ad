/** Every Slack id the knowledge feature uses; identical in manifest.yml and the tests. */
export const ids = {
  /** On a `/incident runbook` answer in an incident channel: link this runbook to the incident. Value: `<incidentId>:<slug>`. */
  linkRunbookButton: 'knowledge.link_runbook',
  linkRunbookActions: 'knowledge.link_runbook_actions',
} as const;

/** Job kinds of this feature. */
export const jobKinds = {
  /** Find the runbooks and past incidents for a declared incident and post them in its channel. */
  suggest: 'knowledge.suggest',
  /** Bookmark a runbook linked by a responder and tell the channel. */
  linked: 'knowledge.linked',
} as const;
