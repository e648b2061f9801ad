/** The App Home's public surface: the wiring imports only this. */
export { openedHome, publishHome, scheduleHomeRefresh, type HomeDeps } from './publish.ts';
export { registerHomeJobs } from './jobs.ts';
export { registerHomeListeners, type HomeListenerDeps } from './listeners.ts';
export { installHome } from './install.ts';
