import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0004 (run owner)', () => {
  it('adds an empty owner and heartbeat to existing runs, which keep their status and items', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 'test.db', 3);
    db.prepare(`INSERT INTO datasets (id, name, root_path, kind, created_at) VALUES (1, 'd', '/d', 'folder', 'now')`).run();
    db.prepare(`INSERT INTO images (id, dataset_id, rel_path, sha256, bytes, width, height, created_at) VALUES (1, 1, 'a.png', 'h', 1, 1, 1, 'now')`).run();
    db.prepare(`INSERT INTO runs (id, kind, status, settings, created_at, updated_at) VALUES (1, 'suggest', 'running', '{}', 'now', 'now')`).run();
    db.prepare(`INSERT INTO run_items (run_id, image_id, position, status) VALUES (1, 1, 0, 'pending')`).run();

    migrate(db, 'test.db', 4);

    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare(`SELECT status, owner, heartbeat_at FROM runs WHERE id = 1`).get()).toEqual({ status: 'running', owner: null, heartbeat_at: null });
    expect(db.prepare(`SELECT COUNT(*) FROM run_items WHERE run_id = 1 AND status = 'pending'`).pluck().get()).toBe(1);
    db.prepare(`UPDATE runs SET owner = '12@host#ab', heartbeat_at = 'then' WHERE id = 1`).run();
    expect(db.prepare(`SELECT owner FROM runs WHERE id = 1`).pluck().get()).toBe('12@host#ab');
  });
});
