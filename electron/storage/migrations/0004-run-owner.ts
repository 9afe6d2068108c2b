import type { Db } from '../db.js';

/**
 * Who is executing a run. Runs are executed by the app's job host or by the CLI, in different
 * processes on one database; `owner` names the process holding a 'running' run (see
 * RunsRepo.claim) and `heartbeat_at` is when it last said it is still alive, so another process
 * can tell a live run from one left 'running' by a process that was killed. Both are NULL
 * whenever the run is not running. Runs left 'running' by an older version have no owner and
 * count as abandoned.
 */
export default function migrate0004(db: Db): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN owner TEXT;
    ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
  `);
}
