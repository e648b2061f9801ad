/** Every Slack id the incidents feature uses; identical in manifest.yml and the tests. */
export const ids = {
  declareModal: 'incident.declare',
  /** Buttons on the pinned summary message; later features give them their modals. */
  summaryActions: 'incident.summary_actions',
  statusButton: 'incident.status',
  severityButton: 'incident.severity',
  noteButton: 'incident.note',
  resolveButton: 'incident.resolve',
  /** Input blocks of the declare modal (block ids name the field; the element inside is always `value`). */
  fields: {
    title: 'title',
    severity: 'severity',
    service: 'service',
    summary: 'summary',
    private: 'private',
  },
  inputElement: 'value',
} as const;

/** Job kinds of this feature. */
export const jobKinds = {
  provision: 'incident.provision',
} as const;
