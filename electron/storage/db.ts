/**
 * Opens a project database: WAL for concurrent readers, foreign keys on, and the schema
 * brought up to date by the numbered migrations.
 */
import Database from 'better-sqlite3';
import { ApiError, ErrorCode } from '../../shared/contract/errors.js';
import { migrate } from './migrations/index.js';

export type Db = Database.Database;

export function openDatabase(file: string, options: { create: boolean }): Db {
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: !options.create });
  } catch (error) {
    throw new ApiError(ErrorCode.ProjectInvalid, `Cannot open project database ${file}: ${(error as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // WAL with synchronous=NORMAL is durable across application crashes, which is what we need.
    db.pragma('synchronous = NORMAL');
    beginTransactionsImmediately(db);
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof ApiError) throw error;
    throw new ApiError(ErrorCode.ProjectInvalid, `${file} is not a Roundtrip project database: ${(error as Error).message}`);
  }
}

/**
 * Every `db.transaction(fn)` of a project writes, and another process may write the same file at
 * the same time (browser mode recording decisions while the CLI imports or runs). A deferred
 * transaction that reads before it writes cannot upgrade its snapshot once the other process has
 * committed: SQLite answers SQLITE_BUSY at once, without waiting busy_timeout, and an import
 * failed with "database is locked" (issue 16, found by the fault suite). BEGIN IMMEDIATE takes the
 * write lock first, waiting for it as long as busy_timeout allows. Nested calls still use savepoints.
 */
function beginTransactionsImmediately(db: Db): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const variants = transaction(fn);
    const run = (...args: never[]) => variants.immediate(...args);
    // The variants are non-enumerable properties of better-sqlite3's function: copied one by one.
    for (const name of ['default', 'deferred', 'immediate', 'exclusive'] as const) Object.defineProperty(run, name, { value: variants[name] });
    return run;
  }) as Db['transaction'];
}
