/**
 * How many blocking file operations (an open, one read) the file readers may have in libuv's
 * thread pool at once. A call into a file system that stopped answering (a dead network mount)
 * holds its thread until the kernel returns, and nothing in Node can interrupt it; libuv has four
 * threads, shared with media serving, sharp and every other fs call. Capping the readers at two
 * means stuck reads can never take the whole pool (issue 16: four blocked imports starved every
 * media request and left the process unable to exit).
 */

export const MAX_BLOCKING_OPS = 2;

let busy = 0;
const waiting: (() => void)[] = [];

/** Operations started through the gate that have not returned yet (some may be stuck in the kernel). */
export const blockingOpsInFlight = (): number => busy;

/**
 * Runs `op` once a slot is free and resolves with it, or rejects with `stop.reason` as soon as
 * `stop` aborts, whether still waiting for a slot or for `op`. An abandoned `op` keeps its slot
 * until it settles (its thread is held until then); `onStarted` receives it so the caller can, for
 * example, close a file handle only after a read still in flight has returned.
 */
export async function gated<T>(op: () => Promise<T>, stop: AbortSignal, onStarted?: (running: Promise<unknown>) => void): Promise<T> {
  await acquire(stop);
  let running: Promise<T>;
  try {
    running = op();
  } catch (error) {
    release();
    throw error;
  }
  void running.then(release, release);
  onStarted?.(running);
  return raceStop(running, stop);
}

/** `promise`, or a rejection with `stop.reason` if `stop` aborts first. */
export function raceStop<T>(promise: Promise<T>, stop: AbortSignal): Promise<T> {
  if (stop.aborted) return Promise.reject(stop.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onStop = () => reject(stop.reason as Error);
    stop.addEventListener('abort', onStop, { once: true });
    promise.then(
      (value) => {
        stop.removeEventListener('abort', onStop);
        resolve(value);
      },
      (error: unknown) => {
        stop.removeEventListener('abort', onStop);
        reject(error as Error);
      },
    );
  });
}

function acquire(stop: AbortSignal): Promise<void> {
  if (stop.aborted) return Promise.reject(stop.reason as Error);
  if (busy < MAX_BLOCKING_OPS) {
    busy++;
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    // The slot is handed over by release(), so `busy` already counts it.
    const take = () => {
      stop.removeEventListener('abort', onStop);
      resolve();
    };
    const onStop = () => {
      waiting.splice(waiting.indexOf(take), 1);
      reject(stop.reason as Error);
    };
    stop.addEventListener('abort', onStop, { once: true });
    waiting.push(take);
  });
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else busy--;
}
