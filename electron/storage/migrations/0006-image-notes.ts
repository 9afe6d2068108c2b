import type { Db } from '../db.js';

/**
 * A researcher's note and tags on an image (the audit view), searchable by word and by tag. One
 * row per image holds the note; tags are rows of their own, so "every image tagged X" is an
 * index lookup at 100,000 images; tags compare without regard to case. Notes are working material, not decisions: they are replaced,
 * with who changed them last and when.
 */
export default function migrate0006(db: Db): void {
  db.exec(`
    CREATE TABLE image_notes (
      image_id INTEGER PRIMARY KEY REFERENCES images(id),
      note TEXT NOT NULL,
      actor TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX image_notes_updated ON image_notes(updated_at);

    CREATE TABLE image_tags (
      image_id INTEGER NOT NULL REFERENCES image_notes(image_id) ON DELETE CASCADE,
      tag TEXT NOT NULL COLLATE NOCASE,
      position INTEGER NOT NULL,
      PRIMARY KEY (image_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX image_tags_tag ON image_tags(tag, image_id);
  `);
}
