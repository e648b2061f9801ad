/** Every Slack id the on-call feature uses; identical in manifest.yml and the tests. */
export const ids = {
  /** The Acknowledge button on a page DM; its value is the page id. */
  ackButton: 'oncall.ack',
  pageActions: 'oncall.page_actions',
  /** On the `/incident oncall` answer: cover a shift (opens the modal), remove an override made in Slack. */
  overrideButton: 'oncall.override_open',
  removeOverrideButton: 'oncall.override_remove',
  removeOverrideActions: 'oncall.override_remove_actions',
  oncallActions: 'oncall.actions',
  overrideModal: 'oncall.override',
  /** Input blocks of the override modal (the element inside is always `value`). */
  fields: {
    schedule: 'schedule',
    user: 'user',
    from: 'from',
    to: 'to',
  },
  inputElement: 'value',
} as const;

/** Job kinds of this feature. */
export const jobKinds = {
  /** Take one step of an escalation: page a level (or find it empty and move on). */
  escalate: 'oncall.escalate',
  /** Nobody acknowledged after the last level of the last repeat. */
  exhaust: 'oncall.exhaust',
  /** Bring every Slack message about an escalation up to date with its state (DMs, channel lines, alerts). */
  sync: 'oncall.sync',
  /** Tell the person whose shift starts that they are on call. */
  handoff: 'oncall.handoff',
  /** Tell people whose future shifts an override or a rota change touched. */
  shiftsChanged: 'oncall.shifts_changed',
} as const;
