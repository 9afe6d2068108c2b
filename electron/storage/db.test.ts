/**
 * Write transactions against a project another process writes to at the same time (browser mode
 * recording decisions while the CLI imports): found by the issue 16 fault suite, where an import
 * failed with "database is locked" at once, busy_timeout notwithstanding.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';

describe('openDatabase transactions', () => {
  it('take the write lock when they begin, so reading first cannot make them fail when another connection writes', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rt-db-')), 'roundtrip.db');
    const mine = openDatabase(file, { create: true });
    const other = openDatabase(file, { create: false });
    other.pragma('busy_timeout = 0');
    mine.exec('CREATE TABLE t (x INTEGER)');
    let otherWrote = true;
    // A deferred transaction reads on a snapshot; once another connection has committed, its first
    // write cannot upgrade (SQLITE_BUSY at once: the busy handler is not called for that).
    mine.transaction(() => {
      mine.prepare('SELECT count(*) FROM t').get();
      try {
        other.prepare('INSERT INTO t VALUES (1)').run();
      } catch {
        otherWrote = false; // it waits for this transaction instead (here: gives up at once)
      }
      mine.prepare('INSERT INTO t VALUES (2)').run();
    })();
    expect(otherWrote).toBe(false);
    expect(mine.prepare('SELECT x FROM t').pluck().all()).toEqual([2]);
    mine.close();
    other.close();
  });
});
