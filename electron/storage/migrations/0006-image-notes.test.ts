import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0006 (image notes)', () => {
  it('adds notes and tags beside existing images, which stay as they were; tags are one per image regardless of case and go with their note', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 'test.db', 5);
    db.prepare(`INSERT INTO datasets (id, name, root_path, kind, created_at) VALUES (1, 'd', '/d', 'folder', 'now')`).run();
    db.prepare(`INSERT INTO images (id, dataset_id, rel_path, sha256, bytes, width, height, created_at) VALUES (1, 1, 'a.png', 'h', 1, 1, 1, 'now')`).run();
    db.prepare(`INSERT INTO image_state (image_id, status) VALUES (1, 'undecided')`).run();

    migrate(db, 'test.db', 6);

    expect(schemaVersion(db)).toBe(6);
    db.prepare(`INSERT INTO image_notes (image_id, note, actor, updated_at) VALUES (1, 'lemur, not monkey', 'ann', 'now')`).run();
    const tag = db.prepare(`INSERT INTO image_tags (image_id, tag, position) VALUES (1, ?, ?)`);
    tag.run('Vocabulary', 0);
    expect(() => tag.run('vocabulary', 1)).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO image_notes (image_id, note, actor, updated_at) VALUES (99, 'x', 'ann', 'now')`).run()).toThrow(/FOREIGN KEY/);
    expect(db.prepare(`SELECT image_id FROM image_tags WHERE tag = 'VOCABULARY'`).pluck().all()).toEqual([1]);
    db.prepare(`DELETE FROM image_notes WHERE image_id = 1`).run();
    expect(db.prepare(`SELECT COUNT(*) FROM image_tags`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) FROM images`).pluck().get()).toBe(1);
  });
});
