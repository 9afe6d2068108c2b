import type { Db } from '../db.js';

interface ReferenceRow {
  id: number;
  image_id: number;
  external_id: number | null;
  text: string;
}

/** A human reference caption of an image (services map it to the API's Reference). */
export interface ReferenceRecord {
  id: number;
  imageId: number;
  /** The annotation id of the file it was imported from (COCO), if it had one. */
  externalId: number | null;
  text: string;
}

const toRecord = (r: ReferenceRow): ReferenceRecord => ({
  id: r.id,
  imageId: r.image_id,
  externalId: r.external_id,
  text: r.text,
});

export class ReferencesRepo {
  constructor(private readonly db: Db) {}

  /** Whether the image has this reference: the same external id, or without one, the same text. */
  has(imageId: number, text: string, externalId: number | null): boolean {
    const row =
      externalId === null
        ? this.db.prepare(`SELECT 1 FROM reference_captions WHERE image_id = ? AND external_id IS NULL AND text = ?`).get(imageId, text)
        : this.db.prepare(`SELECT 1 FROM reference_captions WHERE image_id = ? AND external_id = ?`).get(imageId, externalId);
    return row !== undefined;
  }

  /** Adds a reference unless the image has it already (see `has`). */
  add(imageId: number, text: string, externalId: number | null): boolean {
    if (this.has(imageId, text, externalId)) return false;
    this.db.prepare(`INSERT INTO reference_captions (image_id, external_id, text) VALUES (?, ?, ?)`).run(imageId, externalId, text);
    return true;
  }

  /** The image's references, oldest first; `limit` caps how many (an older project may hold very many). */
  forImage(imageId: number, limit = -1): ReferenceRecord[] {
    return (this.db.prepare(`SELECT * FROM reference_captions WHERE image_id = ? ORDER BY id LIMIT ?`).all(imageId, limit) as ReferenceRow[]).map(
      toRecord,
    );
  }

  countForImage(imageId: number): number {
    return this.db.prepare(`SELECT COUNT(*) FROM reference_captions WHERE image_id = ?`).pluck().get(imageId) as number;
  }

  get(id: number): ReferenceRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM reference_captions WHERE id = ?`).get(id) as ReferenceRow | undefined;
    return row && toRecord(row);
  }

  /** The largest external annotation id in use, so exports can number new captions after it. */
  maxExternalId(): number {
    return (this.db.prepare(`SELECT MAX(external_id) FROM reference_captions`).pluck().get() as number | null) ?? 0;
  }
}
