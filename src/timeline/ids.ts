/** Every Slack id the timeline feature uses; identical in manifest.yml and the tests. */
export const ids = {
  /** The message shortcut "Add to incident timeline". */
  addEntryShortcut: 'timeline.add_entry',
  noteModal: 'timeline.note_modal',
  /** The Older/Newer buttons under `/incident timeline`; value `<incidentId>:<page>`. */
  pageButton: 'timeline.page',
  pageActions: 'timeline.pages',
  fields: { note: 'note' },
  inputElement: 'value',
  /** The reaction that pins a message to the timeline. */
  pinReaction: 'pushpin',
} as const;

export const jobKinds = {
  /** Fills in a captured message's text and permalink from Slack. */
  fill: 'timeline.fill',
} as const;
