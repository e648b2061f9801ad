/**
 * Every Slack id and job kind the paging feature uses; identical in manifest.yml and the tests. They keep the
 * `oncall.` prefix they were first stored with: Slack messages already sent and rows in `jobs` carry them.
 */
export const ids = {
  /** The Acknowledge button on a page DM; its value is the page id. */
  ackButton: 'oncall.ack',
  pageActions: 'oncall.page_actions',
} as const;

/** Job kinds of this feature. */
export const jobKinds = {
  /** Take one step of an escalation: page a level (or find it empty and move on). */
  escalate: 'oncall.escalate',
  /** Nobody acknowledged after the last level of the last repeat. */
  exhaust: 'oncall.exhaust',
  /** Bring every Slack message about an escalation up to date with its state (DMs, channel lines, alerts). */
  sync: 'oncall.sync',
} as const;
