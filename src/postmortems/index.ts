/** The post-mortem feature's public surface: the wiring and the CLI import only this. */
export { savePostmortem, type SaveDeps, type SaveOutcome } from './save.ts';
export { draftOf } from './drafts.ts';
export { documentOf, postmortemUrl, publishPostmortem, type PublishDeps } from './publish.ts';
export { postmortemMarkdown, type PostmortemDocument } from './document.ts';
export { markdownPageHtml, postmortemPageHtml } from './page.ts';
export { postmortemHandler } from './route.ts';
export { registerPostmortemJobs } from './jobs.ts';
export { postmortemSubcommands, registerPostmortemListeners, type PostmortemListenerDeps } from './listeners.ts';
export { getPostmortem } from './store.ts';
export { newForm, storedForm, type PostmortemForm } from './form.ts';
export { installPostmortems } from './install.ts';
