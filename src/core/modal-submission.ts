/**
 * The one way a form (modal) submission is handled: its private_metadata and state are read with their schemas,
 * the use case runs, and the modal closes. A form Klaxon cannot read says so on `errorBlock`; a UserError is
 * shown on the input block it names (when the form has it) or on `errorBlock`; the use case may also answer
 * with field errors of its own (a draft saved with what is missing). Everything typed stays in the form.
 */
import type { z } from 'zod';
import { UserError } from './errors.ts';

export type FieldErrors = Record<string, string>;

type ErrorsAck = (response?: { response_action: 'errors'; errors: FieldErrors }) => Promise<void>;

export interface SubmittedView {
  private_metadata?: string;
  state: { values: Record<string, unknown> };
}

export interface FormReading<M, S> {
  metadata: z.ZodType<M>;
  state: z.ZodType<S>;
  /** Where errors go that name no field of this form. */
  errorBlock: string;
  /** What to say when the form cannot be read (by default: close it and open it again). */
  unreadable?: string;
  /** Input blocks by the field names use cases give their UserErrors, where the two differ. */
  blocks?: Record<string, string>;
}

const UNREADABLE = 'Klaxon could not read this form. Close it and open it again.';

/** Runs `run` on the submission; resolves with its result once the modal is closed, or undefined when it stays open. */
export async function handleSubmission<M, S, R>(ack: ErrorsAck, view: SubmittedView, form: FormReading<M, S>, run: (state: S, metadata: M) => R | Promise<R>): Promise<Exclude<R, { fieldErrors: FieldErrors }> | undefined> {
  const metadata = form.metadata.safeParse(parseJson(view.private_metadata));
  const state = form.state.safeParse(view.state.values);
  if (!metadata.success || !state.success) {
    await ack({ response_action: 'errors', errors: { [form.errorBlock]: form.unreadable ?? UNREADABLE } });
    return undefined;
  }
  let result: R;
  try {
    result = await run(state.data, metadata.data);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    await ack({ response_action: 'errors', errors: { [blockOf(form, view, error.field)]: error.message } });
    return undefined;
  }
  if (typeof result === 'object' && result !== null && 'fieldErrors' in result) {
    await ack({ response_action: 'errors', errors: (result as { fieldErrors: FieldErrors }).fieldErrors });
    return undefined;
  }
  await ack();
  return result as Exclude<R, { fieldErrors: FieldErrors }>;
}

function blockOf(form: FormReading<unknown, unknown>, view: SubmittedView, field: string | undefined): string {
  if (field === undefined) return form.errorBlock;
  const block = form.blocks?.[field] ?? field;
  return block in view.state.values ? block : form.errorBlock;
}

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return undefined;
  }
}
