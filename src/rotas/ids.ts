/**
 * Every Slack id and job kind the rotas feature uses; identical in manifest.yml and the tests. They keep the
 * `oncall.` prefix they were first stored with: Slack messages already sent and rows in `jobs` carry them.
 */
export const ids = {
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
  /** Tell the person whose shift starts that they are on call. */
  handoff: 'oncall.handoff',
  /** Tell people whose future shifts an override or a rota change touched. */
  shiftsChanged: 'oncall.shifts_changed',
} as const;
