import type { Db } from '../db.js';

/**
 * What the project exported: one row per finished export, with the format, where it went, the
 * filters it was made with, what it holds (images, captions, files) and the provenance of its
 * machine captions (runs with their models and settings). Rows are added, never changed, so the
 * log answers "which file did we train on, and what was in it?" long after the file moved.
 */
export default function migrate0005(db: Db): void {
  db.exec(`
    CREATE TABLE exports (
      id INTEGER PRIMARY KEY,
      format TEXT NOT NULL,
      path TEXT NOT NULL,
      filters TEXT NOT NULL CHECK (json_valid(filters)),
      counts TEXT NOT NULL CHECK (json_valid(counts)),
      provenance TEXT NOT NULL CHECK (json_valid(provenance)),
      actor TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT NOT NULL
    );
    CREATE INDEX exports_path ON exports(path, id);
  `);
}
