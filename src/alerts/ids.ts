/** Job kinds of the alerts feature. */
export const jobKinds = {
  /** Post or edit an alert group's message in its service's alert channel. */
  message: 'alerts.message',
} as const;
