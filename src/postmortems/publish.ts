/**
 * Publishing a complete post-mortem: the job generates the Markdown document from the incident, its timeline
 * and the form, keeps it for the web page, uploads it to the incident channel, then deletes the version it
 * replaces, so the channel has the latest document and not a pile of them. A job for an older revision
 * finds a newer one queued and does nothing.
 */
import type { KeyedLock } from '../core/keyed-lock.ts';
import type { ServiceConfig } from '../core/config.ts';
import { uploadFileOnce } from '../core/file-upload.ts';
import type { Kit } from '../core/kit.ts';
import { recentMessages } from '../core/outbox.ts';
import type { WebLinks } from '../core/web-links.ts';
import { DeferError } from '../core/errors.ts';
import { getIncident, incidentRef, type Incident } from '../incidents/index.ts';
import { linkedRunbooks, pastIncidents, runbookUrl, similarFoundFor } from '../knowledge/index.ts';
import { problemRef, problemsOfIncident } from '../problems/index.ts';
import { visibleEntries } from '../timeline/index.ts';
import { publishedComment } from './blocks.ts';
import { postmortemMarkdown, type PostmortemDocument } from './document.ts';
import { actionsOf, storedForm } from './form.ts';
import { getPostmortem, setDocument, setFile } from './store.ts';
import { serviceNameOrNull } from '../core/service-names.ts';

export interface PublishDeps extends Pick<Kit, 'db' | 'clock' | 'slack' | 'outbox' | 'logger' | 'profiles' | 'links'> {
  services: ServiceConfig[];
  timeZone: string;
  /** One publication at a time per incident, so that each new version finds the one it replaces. */
  lock: KeyedLock;
}

/** The post-mortem page's address: signed (and expiring) for a private incident. */
export function postmortemUrl(links: WebLinks, incident: Incident): string {
  return links.url(`/postmortems/${incidentRef(incident.id)}`, { private: incident.isPrivate });
}

/** Everything the document says, gathered from the database and people's names from Slack. */
export async function documentOf(deps: PublishDeps, incident: Incident): Promise<PostmortemDocument> {
  const row = (await getPostmortem(deps.db, incident.id))!;
  const form = storedForm(row.completeForm, incident.title);
  const timeline = await visibleEntries(deps.db, incident.id);
  const responders = new Set<string>([incident.leadId]);
  for (const entry of timeline) {
    if (entry.actorId) responders.add(entry.actorId);
    const userId = entry.data?.userId;
    if ((entry.kind === 'paged' || entry.kind === 'role_assigned') && typeof userId === 'string') responders.add(userId);
  }
  const savedBy = row.completedBy ?? row.updatedBy;
  const people = new Set<string>([...responders, incident.declaredBy, savedBy, ...actionsOf(form).flatMap((a) => (a.ownerId ? [a.ownerId] : []))]);
  const names = new Map<string, string>();
  for (const id of people) names.set(id, (await deps.profiles.of(id)).name);
  const found = await similarFoundFor(deps.db, incident.id);
  const problem = (await problemsOfIncident(deps.db, incident.id))[0];
  return {
    incident,
    serviceName: serviceNameOrNull(deps.services, incident.serviceId),
    responders: [...responders],
    form,
    timeline,
    runbooks: (await linkedRunbooks(deps.db, incident.id)).map((r) => ({ title: r.title, url: runbookUrl(deps.links, r.slug) })),
    similar: (await pastIncidents(deps.db, found.map((s) => s.id))).filter((p) => !p.isPrivate).map((p) => ({ ref: incidentRef(p.id), title: p.title, rootCause: p.rootCause })),
    problem: problem ? { ref: problemRef(problem.id) } : null,
    timeZone: deps.timeZone,
    nameOf: (id) => names.get(id) ?? id,
    savedBy,
    savedAt: row.completedAt ?? row.updatedAt,
  };
}

export function publishPostmortem(deps: PublishDeps, incidentId: number, revision: number): Promise<void> {
  return deps.lock.run(`postmortem:${incidentId}`, () => publishVersion(deps, incidentId, revision));
}

async function publishVersion(deps: PublishDeps, incidentId: number, revision: number): Promise<void> {
  const incident = await getIncident(deps.db, incidentId);
  const row = await getPostmortem(deps.db, incidentId);
  // A newer complete version has its own job; a draft saved since changes nothing here.
  if (!incident || !row || row.completeRevision !== revision || row.fileRevision === revision) return;
  const markdown = postmortemMarkdown(await documentOf(deps, incident));
  await setDocument(deps.db, incidentId, markdown);
  if (!incident.channelId) {
    if (incident.provisioning === 'pending') throw new DeferError('the incident has no channel yet', 1000);
    deps.logger.warn('no channel to upload the post-mortem to', { incident: incidentRef(incidentId) });
    return;
  }
  const ref = incidentRef(incidentId);
  const channel = incident.channelId;
  const filename = `${ref}-postmortem.md`;
  const fileId = await uploadFileOnce(deps.outbox, deps.slack, `pm-file:${ref}:r${revision}`, {
    channel,
    filename,
    title: `Post-mortem ${ref}: ${incident.title}`.slice(0, 250),
    content: markdown,
    comment: publishedComment(incident, row.completedBy ?? row.updatedBy, revision, postmortemUrl(deps.links, incident)),
  });
  // The replaced files go before the new one is recorded: a failed delete is retried with the job (the upload
  // itself is not repeated: its outbox rows keep the new file's id). Besides the version this replaces, the
  // channel may show an earlier version whose upload Slack made although its answer never arrived.
  const replaced = new Set([...(row.fileId ? [row.fileId] : []), ...(await earlierVersionsShown(deps, channel, filename))]);
  replaced.delete(fileId);
  for (const previous of replaced) {
    await deps.outbox.send(`pm-delete:${previous}`, 'files.delete', { file: previous }, { alreadyDone: ['file_not_found', 'file_deleted'] });
  }
  await setFile(deps.db, incidentId, fileId, revision);
}

/** Post-mortem files Klaxon shared in the channel among its last hundred messages. */
async function earlierVersionsShown(deps: PublishDeps, channel: string, filename: string): Promise<string[]> {
  const [{ messages }, botUserId] = await Promise.all([recentMessages(deps.slack, channel), deps.slack.botUserId()]);
  return messages.filter((m) => m.user === botUserId).flatMap((m) => (m.files ?? []).filter((f) => f.name === filename).map((f) => f.id));
}
