/** Every Slack id the incidents feature uses; identical in manifest.yml and the tests. */
export const ids = {
  declareModal: 'incident.declare',
  /** Buttons on the pinned summary message; later features give them their modals. */
  summaryActions: 'incident.summary_actions',
  updateButton: 'incident.update',
  statusButton: 'incident.status',
  severityButton: 'incident.severity',
  noteButton: 'incident.note',
  impactButton: 'incident.impact',
  resolveButton: 'incident.resolve',
  reopenButton: 'incident.reopen',
  closeButton: 'incident.close',
  resolvedActions: 'incident.resolved_actions',
  reminderActions: 'incident.reminder_actions',
  closeActions: 'incident.close_actions',
  /** The post-mortem form is opened from the resolution message. */
  postmortemButton: 'postmortem.open',
  /** Modals opened by those buttons and sub-commands. */
  updateModal: 'incident.update_modal',
  statusModal: 'incident.status_modal',
  severityModal: 'incident.severity_modal',
  impactModal: 'incident.impact_modal',
  resolveModal: 'incident.resolve_modal',
  /** Input blocks of the declare modal (block ids name the field; the element inside is always `value`). */
  fields: {
    title: 'title',
    severity: 'severity',
    service: 'service',
    summary: 'summary',
    options: 'options',
    status: 'status',
    note: 'note',
    update: 'update',
    resolution: 'resolution',
    impactStarted: 'impact_started',
    impactEnded: 'impact_ended',
  },
  inputElement: 'value',
} as const;

/** Job kinds of this feature. */
export const jobKinds = {
  provision: 'incident.provision',
  /** Brings the summary, topic and announcement up to date with the incident's revision. */
  refresh: 'incident.refresh',
  /** Posts what people must read about one timeline entry (an update, a resolution, a new role). */
  tell: 'incident.tell',
  remind: 'incident.remind',
} as const;
