/**
 * Answering Slack comes first. On Linux a nice value belongs to a thread, not to the process, so Klaxon keeps
 * its main thread (which answers Slack) at the priority it was started with and puts every other thread below
 * it: the job worker, and the threads Node and V8 run beside the main one (compiling, collecting garbage,
 * libuv's pool), which would otherwise get as much CPU as the main thread whenever both want it.
 *
 * A lower priority does not stop a thread that wakes up (the job worker, at each new job and each Slack
 * answer) from preempting the main thread; so those threads are also put under the SCHED_BATCH policy (with
 * `chrt`, from util-linux), under which a waking thread never preempts the running one. Where priorities or
 * policies cannot be set (other systems, some containers, no `chrt`), threads keep what they have.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

const BELOW_NORMAL = constants.priority.PRIORITY_BELOW_NORMAL;

/** The calling thread (the job worker calls it for itself). */
export function lowerThisThreadsPriority(): void {
  try {
    setPriority(BELOW_NORMAL);
  } catch {
    // Not permitted here: same priority as the main thread.
  }
}

/** Called on the main thread at start: every other thread the process has by then. */
export function lowerOtherThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  let threads: number[];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    return;
  }
  const others = threads.filter((thread) => thread !== process.pid);
  for (const thread of others) {
    try {
      setPriority(thread, BELOW_NORMAL);
    } catch {
      // Gone already, or not permitted: it keeps its priority.
    }
  }
  // One shell for every thread, not waited for: starting a process per thread took tens of milliseconds from
  // the main thread just as Klaxon began answering.
  const chrt = spawn('sh', ['-c', 'command -v chrt >/dev/null || exit; for thread; do chrt --batch --pid 0 "$thread"; done', 'sh', ...others.map(String)], { stdio: 'ignore' });
  chrt.on('error', () => {
    // No shell here: threads keep their policy.
  });
  chrt.unref();
}
