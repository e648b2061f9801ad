/**
 * A problem the person who asked should read: bad input, a refused action. It changes nothing; the Slack layer
 * shows its message (ephemeral or as modal field errors) instead of logging it as a failure.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** For modal submissions: which input block the message belongs to. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Refuses text over a limit, naming its length and the limit (`field`: the form's input block it came from). */
export function refuseTooLong(what: string, text: string, max: number, field?: string): void {
  const length = Array.from(text).length;
  if (length > max) throw new UserError(`The ${what} is ${length} characters long; ${max} at most.`, field);
}

/** A configuration problem found at start: one clear line, then the process stops. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A failure that trying again cannot fix (a missing row, an exhausted search): jobs fail at once. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

/**
 * "Not yet": what a job waits for has not happened (the incident channel is still being created). The job runs
 * again after `delayMs`; this is not a failure and does not use up its attempts.
 */
export class DeferError extends Error {
  override readonly name = 'DeferError';
  constructor(
    reason: string,
    readonly delayMs: number,
  ) {
    super(reason);
  }
}

/** A dropped connection (a restart, a failover): the client must not go back to the pool. */
export function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return code.startsWith('08') || code === '57P01' || code === 'ECONNRESET' || code === 'EPIPE' || (error instanceof Error && /Connection terminated/i.test(error.message));
}

/**
 * Whether a failure means the database did not answer (down, restarting, failing over, too slow, or a SQLite
 * file locked past its busy timeout), rather than refusing what was asked: trying again later can help.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: string }).code ?? '';
    if (isConnectionLost(e) || code.startsWith('57P') || code === '57014' || code === 'ECONNREFUSED' || code === 'ETIMEDOUT' || code === 'SQLITE_BUSY') return true;
    if (/timeout exceeded when trying to connect|Cannot use a pool after calling end/i.test(e.message)) return true;
  }
  return false;
}
