import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './index.js';

describe('migration 0002 (image state)', () => {
  it('derives each image’s status and caption from the decision log', () => {
    const db = new Database(':memory:');
    migrate(db, 'test.db', 1);
    db.prepare(`INSERT INTO datasets (id, name, root_path, kind, created_at) VALUES (1, 'd', '/d', 'folder', 'now')`).run();
    const image = db.prepare(
      `INSERT INTO images (id, dataset_id, rel_path, sha256, bytes, width, height, created_at) VALUES (?, 1, ?, 'h', 1, 1, 1, 'now')`,
    );
    for (const id of [1, 2, 3, 4]) image.run(id, `${id}.png`);
    const decide = db.prepare(
      `INSERT INTO decisions (id, image_id, actor, created_at, action, final_text, undoes_id) VALUES (?, ?, 'ann', 'now', ?, ?, ?)`,
    );
    decide.run(1, 1, 'edit', 'first', null);
    decide.run(2, 1, 'accept', 'second', null);
    decide.run(3, 2, 'reject', null, null);
    decide.run(4, 3, 'edit', 'kept', null);
    decide.run(5, 3, 'skip', null, null);
    decide.run(6, 3, 'undo', null, 5); // undoing the skip brings back the edit

    migrate(db, 'test.db', 2);

    expect(schemaVersion(db)).toBe(2);
    const rows = db.prepare(`SELECT image_id, decision_id, status, caption FROM image_state ORDER BY image_id`).all();
    expect(rows).toEqual([
      { image_id: 1, decision_id: 2, status: 'accepted', caption: 'second' },
      { image_id: 2, decision_id: 3, status: 'rejected', caption: null },
      { image_id: 3, decision_id: 4, status: 'edited', caption: 'kept' },
      { image_id: 4, decision_id: null, status: 'undecided', caption: null },
    ]);
  });
});
