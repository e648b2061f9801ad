/** Every Slack id the App Home uses; identical in manifest.yml and the tests. */
export const ids = {
  declareButton: 'home.declare',
  actions: 'home.actions',
} as const;

export const jobKinds = {
  /** Publishes the Home tab again for everyone who has opened it lately. */
  refresh: 'home.refresh',
} as const;
