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
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof ApiError) throw error;
    throw new ApiError(ErrorCode.ProjectInvalid, `${file} is not a Roundtrip project database: ${(error as Error).message}`);
  }
}
