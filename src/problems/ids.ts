/** Every Slack id the problem tickets use; identical in manifest.yml and the tests. */
export const ids = {
  /** A checklist item's Done button; value: `<action id>:<list>`. */
  actionDone: 'problem.action_done',
  /** The owner menu (users_select) on a ticket; block id `problem.<id>.<list>`. */
  reassign: 'problem.reassign',
  /** The due date (datepicker) on a ticket; block id `problem.<id>.<list>`. */
  changeDue: 'problem.change_due',
  /** Resolve button; value: `<ticket id>:<list>`. Opens the resolve modal. */
  resolveButton: 'problem.resolve',
  resolveModal: 'problem.resolve_modal',
  fields: { reason: 'reason' },
  inputElement: 'value',
} as const;

export const jobKinds = {
  /** The owner's DM when the ticket is due, then weekly while it stays open. */
  remind: 'problem.remind',
  /** Delivers one event to problem_webhook. */
  webhook: 'problem.webhook',
  /** Posts what people must read about a ticket: its creation (owner's DM), a recurrence, a new owner. */
  tell: 'problem.tell',
} as const;

/** How people see ticket numbers: PRB-7. */
export function problemRef(id: number): string {
  return `PRB-${id}`;
}

export function parseProblemRef(text: string): number | undefined {
  const match = /^prb-(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}
