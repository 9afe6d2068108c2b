import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

function freshDb() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  return db;
}

describe('migration 0001 (initial)', () => {
  it('creates the core tables and records version 1', () => {
    const db = freshDb();
    migrate(db, 'test.db', 1);
    expect(schemaVersion(db)).toBe(1);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(['datasets', 'decisions', 'images', 'project_meta', 'reference_captions']);
  });

  it('keeps decisions append-only', () => {
    const db = freshDb();
    migrate(db, 'test.db', 1);
    db.prepare(`INSERT INTO datasets (id, name, root_path, kind, created_at) VALUES (1, 'd', '/d', 'folder', 'now')`).run();
    db.prepare(
      `INSERT INTO images (id, dataset_id, rel_path, sha256, bytes, width, height, created_at) VALUES (1, 1, 'a.png', 'h', 1, 1, 1, 'now')`,
    ).run();
    db.prepare(`INSERT INTO decisions (image_id, actor, created_at, action, final_text) VALUES (1, 'ann', 'now', 'edit', 'a cat')`).run();
    expect(() => db.prepare(`UPDATE decisions SET final_text = 'x'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM decisions`).run()).toThrow(/append-only/);
    // An undo row must name what it undoes, and only undo rows may.
    expect(() =>
      db.prepare(`INSERT INTO decisions (image_id, actor, created_at, action) VALUES (1, 'ann', 'now', 'undo')`).run(),
    ).toThrow(/CHECK/);
  });

  it('refuses two images with the same external id in one dataset', () => {
    const db = freshDb();
    migrate(db, 'test.db', 1);
    db.prepare(`INSERT INTO datasets (id, name, root_path, kind, created_at) VALUES (1, 'd', '/d', 'coco', 'now')`).run();
    const insert = db.prepare(
      `INSERT INTO images (dataset_id, external_id, rel_path, sha256, bytes, width, height, created_at) VALUES (1, 7, ?, 'h', 1, 1, 1, 'now')`,
    );
    insert.run('a.png');
    expect(() => insert.run('b.png')).toThrow(/UNIQUE/);
  });
});
