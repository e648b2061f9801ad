/**
 * The post-mortem form as data: what each field holds, how Slack's modal state becomes it, and the rules a
 * saved form must pass to be complete (a draft is saved whatever it holds). Pure.
 */
import { z } from 'zod';
import { ACTIONS, fields, ids, WHYS } from './ids.ts';

export const TEXT_MAX = 3000;

export interface ActionItem {
  what: string;
  ownerId: string | null;
  /** YYYY-MM-DD */
  due: string | null;
}

export interface PostmortemForm {
  summary: string;
  impact: string;
  detection: string;
  trigger: string;
  /** Five answers; the first is the problem statement, each next one says why the one before happened. */
  whys: string[];
  rootCause: string;
  /** One contributing factor per line. */
  contributing: string;
  wentWell: string;
  wentBadly: string;
  lucky: string;
  actions: ActionItem[];
  createProblem: boolean;
}

/** A new form: the first why is the incident's title, as the problem statement. */
export function newForm(title: string): PostmortemForm {
  return {
    summary: '',
    impact: '',
    detection: '',
    trigger: '',
    whys: [title, ...Array.from({ length: WHYS - 1 }, () => '')],
    rootCause: '',
    contributing: '',
    wentWell: '',
    wentBadly: '',
    lucky: '',
    actions: Array.from({ length: ACTIONS }, () => ({ what: '', ownerId: null, due: null })),
    createProblem: true,
  };
}

/** A stored form, read leniently: what is missing is empty (forms saved by older versions stay readable). */
export function storedForm(value: unknown, title: string): PostmortemForm {
  const parsed = StoredFormSchema.safeParse(value);
  if (!parsed.success) return newForm(title);
  const form = parsed.data;
  return {
    ...form,
    whys: Array.from({ length: WHYS }, (_, i) => form.whys[i] ?? ''),
    actions: Array.from({ length: ACTIONS }, (_, i) => form.actions[i] ?? { what: '', ownerId: null, due: null }),
  };
}

const StoredFormSchema = z.object({
  summary: z.string().default(''),
  impact: z.string().default(''),
  detection: z.string().default(''),
  trigger: z.string().default(''),
  whys: z.array(z.string()).default([]),
  rootCause: z.string().default(''),
  contributing: z.string().default(''),
  wentWell: z.string().default(''),
  wentBadly: z.string().default(''),
  lucky: z.string().default(''),
  actions: z.array(z.object({ what: z.string(), ownerId: z.string().nullable(), due: z.string().nullable() })).default([]),
  createProblem: z.boolean().default(true),
});

const el = ids.inputElement;
const Text = z.object({ [el]: z.object({ type: z.literal('plain_text_input'), value: z.string().nullish() }) });
const User = z.object({ [el]: z.object({ type: z.literal('users_select'), selected_user: z.string().nullish() }) });
const DateInput = z.object({ [el]: z.object({ type: z.literal('datepicker'), selected_date: z.string().nullish() }) });
const Checkboxes = z.object({ [el]: z.object({ type: z.literal('checkboxes'), selected_options: z.array(z.object({ value: z.string() })).default([]) }) });

/** Reads the modal's `view.state.values` into a form; undefined when it is not the form Klaxon sent. */
export function formFromState(values: unknown): PostmortemForm | undefined {
  const state = z.record(z.string(), z.record(z.string(), z.unknown())).safeParse(values);
  if (!state.success) return undefined;
  const v = state.data;
  const text = (block: string): string | undefined => {
    const parsed = Text.safeParse(v[block]);
    return parsed.success ? (parsed.data[el].value ?? '').trim() : undefined;
  };
  const texts = [fields.summary, fields.impact, fields.detection, fields.trigger, fields.rootCause, fields.contributing, fields.wentWell, fields.wentBadly, fields.lucky].map(text);
  const whys = Array.from({ length: WHYS }, (_, i) => text(fields.why(i + 1)));
  if (texts.some((t) => t === undefined) || whys.some((t) => t === undefined)) return undefined;
  const actions = Array.from({ length: ACTIONS }, (_, i) => {
    const n = i + 1;
    const owner = User.safeParse(v[fields.actionOwner(n)]);
    const due = DateInput.safeParse(v[fields.actionDue(n)]);
    return { what: text(fields.actionWhat(n)) ?? '', ownerId: owner.success ? (owner.data[el].selected_user ?? null) : null, due: due.success ? (due.data[el].selected_date ?? null) : null };
  });
  const problem = Checkboxes.safeParse(v[fields.createProblem]);
  const [summary, impact, detection, trigger, rootCause, contributing, wentWell, wentBadly, lucky] = texts as string[];
  return {
    summary: summary!,
    impact: impact!,
    detection: detection!,
    trigger: trigger!,
    whys: whys as string[],
    rootCause: rootCause!,
    contributing: contributing!,
    wentWell: wentWell!,
    wentBadly: wentBadly!,
    lucky: lucky!,
    actions,
    createProblem: problem.success && problem.data[el].selected_options.some((o) => o.value === 'create'),
  };
}

/** The whys given, in order, up to the first one left empty. */
export function whyChain(form: PostmortemForm): string[] {
  const chain: string[] = [];
  for (const why of form.whys) {
    if (!why.trim()) break;
    chain.push(why.trim());
  }
  return chain;
}

/** The root cause: as written, else the last why given. */
export function rootCauseOf(form: PostmortemForm): string {
  return form.rootCause.trim() || whyChain(form).at(-1) || '';
}

export function contributingFactors(form: PostmortemForm): string[] {
  return form.contributing
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*[-*•]\s*/, '').trim())
    .filter(Boolean);
}

/** The follow-up actions written (a row with nothing in it is not an action). */
export function actionsOf(form: PostmortemForm): ActionItem[] {
  return form.actions.filter((a) => a.what.trim() || a.ownerId || a.due);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What keeps the form from being complete, by the block that shows it: a summary, at least two whys without
 * gaps, the first follow-up action whole, every other action started also whole, due dates not in the past.
 * `today` is YYYY-MM-DD in the reader's zone.
 */
export function formProblems(form: PostmortemForm, today: string): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!form.summary.trim()) problems[fields.summary] = 'Write a short summary of what happened.';
  const filled = form.whys.map((w) => w.trim() !== '');
  if (!filled[0]) problems[fields.why(1)] = 'Start with the problem: what went wrong, as customers saw it.';
  else if (!filled[1]) problems[fields.why(2)] = 'Ask why at least once: why did the problem happen?';
  const gap = filled.findIndex((f, i) => !f && filled.slice(i + 1).some(Boolean));
  if (gap >= 0 && problems[fields.why(gap + 1)] === undefined) problems[fields.why(gap + 1)] = `Answer this why before why ${gap + 2}: each builds on the one before.`;
  for (const [field, text] of Object.entries({ [fields.summary]: form.summary, [fields.rootCause]: form.rootCause })) {
    if (text.length > TEXT_MAX) problems[field] = `${TEXT_MAX} characters at most.`;
  }
  form.actions.forEach((action, i) => {
    const n = i + 1;
    const started = action.what.trim() || action.ownerId || action.due;
    if (!started && n > 1) return;
    if (!action.what.trim()) problems[fields.actionWhat(n)] = n === 1 ? 'Name at least one follow-up action: what will stop this happening again?' : 'Say what the action is, or clear its owner and date.';
    else if (!action.ownerId) problems[fields.actionOwner(n)] = 'Who owns this action?';
    else if (!action.due || !DAY.test(action.due)) problems[fields.actionDue(n)] = 'By when?';
    else if (action.due < today) problems[fields.actionDue(n)] = 'The due date is in the past.';
  });
  return problems;
}
