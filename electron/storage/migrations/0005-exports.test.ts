import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0005 (exports)', () => {
  it('adds an export log beside existing images, runs and decisions, which stay as they were', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 'test.db', 4);
    db.prepare(`INSERT INTO datasets (id, name, root_path, kind, created_at) VALUES (1, 'd', '/d', 'folder', 'now')`).run();
    db.prepare(`INSERT INTO images (id, dataset_id, rel_path, sha256, bytes, width, height, created_at) VALUES (1, 1, 'a.png', 'h', 1, 1, 1, 'now')`).run();
    db.prepare(`INSERT INTO image_state (image_id, status) VALUES (1, 'undecided')`).run();
    db.prepare(`INSERT INTO runs (id, kind, status, settings, created_at, updated_at) VALUES (1, 'suggest', 'completed', '{}', 'now', 'now')`).run();

    migrate(db, 'test.db', 5);

    expect(schemaVersion(db)).toBe(5);
    const insert = db.prepare(
      `INSERT INTO exports (format, path, filters, counts, provenance, actor, started_at, finished_at) VALUES (?, '/out.json', ?, '{"images":1}', '{"runs":[]}', 'ann', 'then', 'now')`,
    );
    insert.run('coco-captions', '{"statuses":["accepted"]}');
    expect(db.prepare(`SELECT format, path, filters, actor FROM exports`).get()).toEqual({
      format: 'coco-captions',
      path: '/out.json',
      filters: '{"statuses":["accepted"]}',
      actor: 'ann',
    });
    expect(() => insert.run('coco-captions', 'not json')).toThrow(/CHECK/);
    expect(db.prepare(`SELECT status FROM runs WHERE id = 1`).pluck().get()).toBe('completed');
    expect(db.prepare(`SELECT COUNT(*) FROM images`).pluck().get()).toBe(1);
  });
});
