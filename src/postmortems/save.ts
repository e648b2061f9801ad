/**
 * Saving the post-mortem form. Whatever it holds is kept (a draft anyone in the channel can continue); a form
 * that passes the rules is complete: the document is generated and uploaded by a job, and, when asked, the
 * problem ticket is created with the follow-up actions as its checklist. One transaction.
 */
import { audit } from '../core/audit.ts';
import { transaction } from '../core/db.ts';
import { UserError } from '../core/errors.ts';
import type { Kit } from '../core/kit.ts';
import { localParts } from '../core/wall-clock.ts';
import { getIncident, incidentRef } from '../incidents/index.ts';
import { addTimelineEvent } from '../timeline/index.ts';
import { createProblem, problemsOfIncident, type ProblemDeps } from '../problems/index.ts';
import { actionsOf, formProblems, rootCauseOf, whyChain, type PostmortemForm } from './form.ts';
import { jobKinds } from './ids.ts';
import { saveComplete, saveDraft } from './store.ts';

export interface SaveDeps extends Pick<Kit, 'db' | 'clock' | 'scheduler'> {
  /** The organisation's zone: "today" for due dates. */
  timeZone: string;
  problems: ProblemDeps;
}

export type SaveOutcome = { state: 'draft'; problems: Record<string, string> } | { state: 'complete'; revision: number; problemId: number | undefined };

function today(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

export async function savePostmortem(deps: SaveDeps, incidentId: number, form: PostmortemForm, by: string): Promise<SaveOutcome> {
  const { db } = deps;
  const at = deps.clock.now();
  return transaction(db, async (): Promise<SaveOutcome> => {
    const incident = await getIncident(db, incidentId);
    if (!incident) throw new UserError(`There is no ${incidentRef(incidentId)}.`);
    const problems = formProblems(form, today(at, deps.timeZone));
    const complete = Object.keys(problems).length === 0;
    const whys = whyChain(form);
    const rootCause = rootCauseOf(form);
    // A draft changes neither the document nor what search knows: those follow complete versions only.
    if (!complete) {
      await saveDraft(db, { incidentId, form: { ...form }, by, at });
      return { state: 'draft', problems };
    }
    const revision = await saveComplete(db, { incidentId, form: { ...form }, rootCause, whys: whys.join('\n'), by, at });
    await audit(db, { at, actorId: by, action: 'postmortem.save', subject: incidentRef(incidentId), details: { revision } });
    await addTimelineEvent(db, { incidentId, kind: 'postmortem_saved', at, actorId: by, text: null, data: { revision }, key: `postmortem:${incidentRef(incidentId)}:r${revision}`, recordedAt: at });
    await deps.scheduler.schedule(db, { kind: jobKinds.publish, key: `pm-publish:${incidentRef(incidentId)}:r${revision}`, dueAt: at, payload: { incidentId, revision } });
    let problemId: number | undefined;
    if (form.createProblem && (await problemsOfIncident(db, incidentId)).length === 0) {
      const actions = actionsOf(form).map((a) => ({ what: a.what.trim(), ownerId: a.ownerId!, due: a.due! }));
      problemId = await createProblem(deps.problems, { incidentId, severity: incident.severity, incidentTitle: incident.title, whys, rootCause, actions, createdBy: by }, at);
    }
    return { state: 'complete', revision, problemId };
  });
}
