import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0007 (image file identity)', () => {
  it('adds an empty file identity to existing images, which otherwise stay as they were, and keeps 64-bit inodes exactly', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 'test.db', 6);
    db.prepare(`INSERT INTO datasets (id, name, root_path, kind, created_at) VALUES (1, 'd', '/d', 'folder', 'now')`).run();
    db.prepare(`INSERT INTO images (id, dataset_id, rel_path, sha256, bytes, width, height, created_at) VALUES (1, 1, 'a.png', 'h', 7, 2, 3, 'now')`).run();

    migrate(db, 'test.db', 7);

    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare(`SELECT rel_path, sha256, bytes, file_dev, file_ino, file_mtime_ms FROM images`).get()).toEqual({
      rel_path: 'a.png',
      sha256: 'h',
      bytes: 7,
      file_dev: null,
      file_ino: null,
      file_mtime_ms: null,
    });
    db.prepare(`UPDATE images SET file_dev = ?, file_ino = ?, file_mtime_ms = ? WHERE id = 1`).run('2049', '18446744073709551615', 1_765_000_000_123);
    expect(db.prepare(`SELECT file_dev, file_ino, file_mtime_ms FROM images`).get()).toEqual({ file_dev: '2049', file_ino: '18446744073709551615', file_mtime_ms: 1_765_000_000_123 });
  });
});
