import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0003 (runs)', () => {
  it('adds run tables beside existing images, which keep their decisions', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 'test.db', 2);
    db.prepare(`INSERT INTO datasets (id, name, root_path, kind, created_at) VALUES (1, 'd', '/d', 'folder', 'now')`).run();
    db.prepare(`INSERT INTO images (id, dataset_id, rel_path, sha256, bytes, width, height, created_at) VALUES (1, 1, 'a.png', 'h', 1, 1, 1, 'now')`).run();
    db.prepare(`INSERT INTO image_state (image_id, status) VALUES (1, 'undecided')`).run();

    migrate(db, 'test.db', 3);

    expect(schemaVersion(db)).toBe(3);
    db.prepare(`INSERT INTO runs (id, kind, status, settings, created_at, updated_at) VALUES (1, 'suggest', 'queued', '{"n":10}', 'now', 'now')`).run();
    db.prepare(`INSERT INTO run_items (run_id, image_id, position, status) VALUES (1, 1, 0, 'pending')`).run();
    db.prepare(`INSERT INTO candidates (run_id, image_id, idx, source, text) VALUES (1, 1, 0, 'sampled', 'a red circle')`).run();
    expect(() => db.prepare(`INSERT INTO candidates (run_id, image_id, idx, source, text) VALUES (1, 1, 0, 'sampled', 'again')`).run()).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO runs (kind, status, settings, created_at, updated_at) VALUES ('suggest', 'queued', 'not json', 'now', 'now')`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO run_items (run_id, image_id, position, status) VALUES (1, 99, 1, 'pending')`).run()).toThrow(/FOREIGN KEY/);
    expect(db.prepare(`SELECT status FROM image_state`).pluck().get()).toBe('undecided');
  });
});
