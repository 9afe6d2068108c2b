import type { Reference } from '../../../shared/contract/schemas.js';
import type { Db } from '../db.js';

interface ReferenceRow {
  id: number;
  image_id: number;
  external_id: number | null;
  text: string;
}

const toReference = (r: ReferenceRow): Reference => ({
  id: r.id,
  imageId: r.image_id,
  externalId: r.external_id,
  text: r.text,
});

export class ReferencesRepo {
  constructor(private readonly db: Db) {}

  /** Adds a reference unless one with the same external id (or, without one, the same text) exists. */
  add(imageId: number, text: string, externalId: number | null): boolean {
    const exists =
      externalId === null
        ? this.db.prepare(`SELECT 1 FROM reference_captions WHERE image_id = ? AND external_id IS NULL AND text = ?`).get(imageId, text)
        : this.db.prepare(`SELECT 1 FROM reference_captions WHERE image_id = ? AND external_id = ?`).get(imageId, externalId);
    if (exists) return false;
    this.db.prepare(`INSERT INTO reference_captions (image_id, external_id, text) VALUES (?, ?, ?)`).run(imageId, externalId, text);
    return true;
  }

  forImage(imageId: number): Reference[] {
    return (this.db.prepare(`SELECT * FROM reference_captions WHERE image_id = ? ORDER BY id`).all(imageId) as ReferenceRow[]).map(
      toReference,
    );
  }

  get(id: number): Reference | undefined {
    const row = this.db.prepare(`SELECT * FROM reference_captions WHERE id = ?`).get(id) as ReferenceRow | undefined;
    return row && toReference(row);
  }

  /** The largest external annotation id in use, so exports can number new captions after it. */
  maxExternalId(): number {
    return (this.db.prepare(`SELECT MAX(external_id) FROM reference_captions`).pluck().get() as number | null) ?? 0;
  }
}
