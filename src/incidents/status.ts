/** The incident lifecycle's states, in order. The transition rules are in lifecycle.ts. */
export const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABEL: Record<Status, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

export const STATUS_EMOJI: Record<Status, string> = {
  investigating: ':mag:',
  identified: ':dart:',
  monitoring: ':eyes:',
  resolved: ':white_check_mark:',
};
