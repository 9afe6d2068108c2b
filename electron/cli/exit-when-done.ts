/**
 * Ends the `roundtrip` process once its command has finished. Node exits when its event loop is
 * empty, and its exit (process.exit included) first joins libuv's threads. A thread stuck in a file
 * system call that never returns (a dead network mount) therefore kept the process alive for ever
 * after Ctrl+C or SIGTERM (issue 16). The readers give such calls up after their time limit
 * (electron/files/read-regular-file.ts), but the thread stays stuck; so if the process is still
 * here `graceMs` after the command finished, nothing but that call can be holding it: it is
 * killed, the project's database having been closed already.
 */
export const STUCK_EXIT_GRACE_MS = 3_000;

export function exitWhenDone(code: number, err: (line: string) => void, graceMs = STUCK_EXIT_GRACE_MS): void {
  process.exitCode = code;
  // Unref'd: it fires only if something else keeps the loop alive, i.e. only when the exit is stuck.
  setTimeout(() => {
    err(`roundtrip: a file system call is still stuck (a network drive that stopped answering?); ending without waiting for it.`);
    process.kill(process.pid, 'SIGKILL');
  }, graceMs).unref();
}
