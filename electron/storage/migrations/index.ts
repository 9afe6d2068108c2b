/**
 * The migration runner. Migrations are numbered, applied in order inside one transaction each,
 * and recorded in SQLite's user_version; a database written by a newer Roundtrip is refused
 * rather than silently misread.
 */
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import type { Db } from '../db.js';
import migrate0001 from './0001-initial.js';
import migrate0002 from './0002-image-state.js';
import migrate0003 from './0003-runs.js';
import migrate0004 from './0004-run-owner.js';
import migrate0005 from './0005-exports.js';
import migrate0006 from './0006-image-notes.js';
import migrate0007 from './0007-image-file-identity.js';

export interface Migration {
  version: number;
  name: string;
  up: (db: Db) => void;
}

export const migrations: readonly Migration[] = Object.freeze([
  { version: 1, name: 'initial', up: migrate0001 },
  { version: 2, name: 'image-state', up: migrate0002 },
  { version: 3, name: 'runs', up: migrate0003 },
  { version: 4, name: 'run-owner', up: migrate0004 },
  { version: 5, name: 'exports', up: migrate0005 },
  { version: 6, name: 'image-notes', up: migrate0006 },
  { version: 7, name: 'image-file-identity', up: migrate0007 },
]);

export const LATEST_SCHEMA_VERSION = migrations.at(-1)!.version;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings `db` to `target` (default: latest). `file` only names the database in errors. */
export function migrate(db: Db, file: string, target = LATEST_SCHEMA_VERSION): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration list is not contiguous at ${m.name}`);
  });
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new ApiError(
      ErrorCode.ProjectTooNew,
      `${file} was written by a newer version of Roundtrip (schema ${current}; this version reads up to ${LATEST_SCHEMA_VERSION}). Update Roundtrip to open it.`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
