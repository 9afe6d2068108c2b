import type { Db } from '../db.js';

/** Datasets, images, reference captions and the append-only log of human decisions. */
export default function migrate0001(db: Db): void {
  db.exec(`
    CREATE TABLE project_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    CREATE TABLE datasets (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      root_path TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('folder', 'coco')),
      created_at TEXT NOT NULL
    );

    CREATE TABLE images (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id),
      external_id INTEGER,
      rel_path TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (dataset_id, rel_path)
    );
    CREATE UNIQUE INDEX images_external_id ON images(dataset_id, external_id) WHERE external_id IS NOT NULL;
    CREATE INDEX images_sha256 ON images(sha256);

    CREATE TABLE reference_captions (
      id INTEGER PRIMARY KEY,
      image_id INTEGER NOT NULL REFERENCES images(id),
      external_id INTEGER,
      text TEXT NOT NULL,
      UNIQUE (image_id, external_id)
    );
    CREATE INDEX reference_captions_image ON reference_captions(image_id);

    CREATE TABLE decisions (
      id INTEGER PRIMARY KEY,
      image_id INTEGER NOT NULL REFERENCES images(id),
      actor TEXT NOT NULL,
      created_at TEXT NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('accept', 'edit', 'reject', 'skip', 'undo')),
      final_text TEXT,
      reference_id INTEGER REFERENCES reference_captions(id),
      candidate_id INTEGER,
      undoes_id INTEGER REFERENCES decisions(id),
      CHECK ((action = 'undo') = (undoes_id IS NOT NULL))
    );
    CREATE INDEX decisions_image ON decisions(image_id, id);

    -- History is evidence: a decision is never changed or removed; undo appends a row.
    CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
    CREATE TRIGGER decisions_append_only_delete BEFORE DELETE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
  `);
}
