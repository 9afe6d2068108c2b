import type { Db } from '../db.js';

/**
 * Runs of the reconstruction engine and what they produced. A run is a persistent job: its
 * items are the images it covers, each committed with its results in one transaction, so a
 * killed run resumes at the first pending item and nothing finished is computed twice.
 * `settings` records models (id, version, file hashes), sampler settings and seeds, so any
 * suggestion can be reproduced.
 */
export default function migrate0003(db: Db): void {
  db.exec(`
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('suggest', 'verify-images', 'reference-audit')),
      status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'cancelled', 'completed', 'failed')),
      settings TEXT NOT NULL CHECK (json_valid(settings)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      error TEXT
    );

    CREATE TABLE run_items (
      run_id INTEGER NOT NULL REFERENCES runs(id),
      image_id INTEGER NOT NULL REFERENCES images(id),
      position INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
      error TEXT,
      finished_at TEXT,
      timings TEXT CHECK (timings IS NULL OR json_valid(timings)),
      PRIMARY KEY (run_id, image_id)
    ) WITHOUT ROWID;
    CREATE INDEX run_items_order ON run_items(run_id, status, position);

    -- Captions scored by reconstruction: sampled candidates (suggest) or human references
    -- (reference audit). Identical texts of one image share one reconstruction.
    CREATE TABLE candidates (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id),
      image_id INTEGER NOT NULL REFERENCES images(id),
      idx INTEGER NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('sampled', 'reference')),
      reference_id INTEGER REFERENCES reference_captions(id),
      text TEXT NOT NULL,
      log_prob REAL,
      reconstruction TEXT,
      seed INTEGER,
      similarity REAL,
      rank INTEGER,
      UNIQUE (run_id, image_id, idx)
    );
    CREATE INDEX candidates_image ON candidates(image_id, run_id);

    -- Text → image → text: images generated for a text, each captioned back and compared.
    CREATE TABLE generated_images (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id),
      image_id INTEGER NOT NULL REFERENCES images(id),
      reference_id INTEGER REFERENCES reference_captions(id),
      text TEXT NOT NULL,
      idx INTEGER NOT NULL,
      seed INTEGER NOT NULL,
      path TEXT NOT NULL,
      recaption TEXT,
      text_similarity REAL,
      cider REAL,
      real_similarity REAL,
      rank INTEGER,
      UNIQUE (run_id, image_id, reference_id, idx)
    );
    CREATE INDEX generated_images_image ON generated_images(image_id, run_id);
  `);
}
