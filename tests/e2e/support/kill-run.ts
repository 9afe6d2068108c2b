/**
 * Starts a CLI run in a child process and SIGKILLs it once the project's first run has
 * committed `atLeast` items — the "killed mid-job" half of the resume tests.
 */
import { spawn } from 'node:child_process';
import { Project } from '../../../electron/storage/project.js';

/** Resolves with the committed item count seen at the moment of the kill, after the child exited. */
export async function killRunAfter(cli: string, args: string[], projectDir: string, atLeast = 3): Promise<number> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'ignore' });
  const doneAtKill = await new Promise<number>((resolve, reject) => {
    const poll = setInterval(() => {
      const project = Project.open(projectDir);
      const done = project.runs.list()[0]?.done ?? 0;
      project.dispose();
      if (done >= atLeast) {
        clearInterval(poll);
        child.kill('SIGKILL');
        resolve(done);
      }
    }, 20);
    child.on('exit', () => {
      clearInterval(poll);
      reject(new Error('the run finished before it could be killed'));
    });
  });
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  return doneAtKill;
}
