/** Every Slack id the post-mortem feature uses; identical in manifest.yml and the tests. */
export const ids = {
  modal: 'postmortem.form',
  /** The button on the resolution message (and on the saved post-mortem's message) that opens the form. */
  openButton: 'postmortem.open',
  inputElement: 'value',
} as const;

/** How many whys and follow-up actions the form has room for. */
export const WHYS = 5;
export const ACTIONS = 5;

/** Block ids of the form's inputs: one per field, `why_1`…`why_5`, `action_1_what`, `action_1_owner`, `action_1_due`… */
export const fields = {
  summary: 'summary',
  impact: 'impact',
  detection: 'detection',
  trigger: 'trigger',
  why: (n: number) => `why_${n}`,
  rootCause: 'root_cause',
  contributing: 'contributing',
  wentWell: 'went_well',
  wentBadly: 'went_badly',
  lucky: 'lucky',
  actionWhat: (n: number) => `action_${n}_what`,
  actionOwner: (n: number) => `action_${n}_owner`,
  actionDue: (n: number) => `action_${n}_due`,
  createProblem: 'create_problem',
} as const;

export const jobKinds = {
  /** Generates the document and uploads it to the incident channel, replacing the previous version. */
  publish: 'postmortem.publish',
} as const;
