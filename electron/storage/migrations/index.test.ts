import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db.js';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './index.js';

describe('migration runner', () => {
  it('brings a new database to the latest version and is idempotent', () => {
    const db = new Database(':memory:');
    migrate(db, 'x.db');
    migrate(db, 'x.db');
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
  });

  it('refuses a database written by a newer version, naming the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rt-mig-')), 'future.db');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(file, { create: false })).toThrow(
      expect.objectContaining({ code: 'PROJECT_TOO_NEW', message: expect.stringContaining(file) }),
    );
  });

  it('rolls back a failing migration as a whole', () => {
    const db = new Database(':memory:');
    migrate(db, 'x.db', 1);
    db.exec(`CREATE TABLE image_state (x INTEGER)`); // makes 0002 fail half-way
    expect(() => migrate(db, 'x.db')).toThrow();
    expect(schemaVersion(db)).toBe(1);
  });
});
