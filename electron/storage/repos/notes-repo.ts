/**
 * Researchers' notes and tags on images (the audit view): one note per image, any number of
 * tags, searchable by words (in the note, a tag or the file name) and by tag. Setting an empty
 * note without tags removes the image's entry.
 */
import type { ImageNote, NotesSearch, TagCounts } from '../../../shared/contract/audit-schemas.js';
import type { Db } from '../db.js';

export interface NotesQuery {
  query?: string | undefined;
  tag?: string | undefined;
  offset: number;
  limit: number;
}

interface NoteRow {
  imageId: number;
  note: string;
  actor: string;
  updatedAt: string;
  fileName: string;
}

const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class NotesRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(imageId: number): ImageNote {
    const row = this.db
      .prepare(`SELECT image_id AS imageId, note, actor, updated_at AS updatedAt FROM image_notes WHERE image_id = ?`)
      .get(imageId) as Omit<NoteRow, 'fileName'> | undefined;
    if (!row) return { imageId, note: '', tags: [], actor: null, updatedAt: null };
    return { ...row, tags: this.tagsOf([imageId]).get(imageId) ?? [] };
  }

  /** Replaces the note and tags of an image; tags are kept once each (case aside), in the order given. */
  set(imageId: number, note: string, tags: readonly string[], actor: string): ImageNote {
    const unique = new Map<string, string>();
    for (const tag of tags) if (!unique.has(tag.toLowerCase())) unique.set(tag.toLowerCase(), tag);
    this.db.transaction(() => {
      if (note.trim() === '' && unique.size === 0) {
        this.db.prepare(`DELETE FROM image_notes WHERE image_id = ?`).run(imageId);
        return;
      }
      this.db
        .prepare(
          `INSERT INTO image_notes (image_id, note, actor, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (image_id) DO UPDATE SET note = excluded.note, actor = excluded.actor, updated_at = excluded.updated_at`,
        )
        .run(imageId, note, actor, this.now().toISOString());
      this.db.prepare(`DELETE FROM image_tags WHERE image_id = ?`).run(imageId);
      const insert = this.db.prepare(`INSERT INTO image_tags (image_id, tag, position) VALUES (?, ?, ?)`);
      [...unique.values()].forEach((tag, position) => insert.run(imageId, tag, position));
    })();
    return this.get(imageId);
  }

  /** Images with a note or tags matching every word of `query` (and carrying `tag`), most recently changed first. */
  search({ query, tag, offset, limit }: NotesQuery): NotesSearch {
    const clauses: string[] = [];
    const params: Record<string, unknown> = { offset, limit };
    if (tag !== undefined) {
      clauses.push(`EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = n.image_id AND t.tag = @tag)`);
      params.tag = tag;
    }
    (query ?? '').split(/\s+/).filter(Boolean).slice(0, 20).forEach((word, k) => {
      clauses.push(`(n.note LIKE @w${k} ESCAPE '\\' OR i.rel_path LIKE @w${k} ESCAPE '\\'
        OR EXISTS (SELECT 1 FROM image_tags t WHERE t.image_id = n.image_id AND t.tag LIKE @w${k} ESCAPE '\\'))`);
      params[`w${k}`] = likePattern(word);
    });
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const from = `FROM image_notes n JOIN images i ON i.id = n.image_id ${where}`;
    const total = this.db.prepare(`SELECT COUNT(*) ${from}`).pluck().get(params) as number;
    const rows = this.db
      .prepare(
        `SELECT n.image_id AS imageId, n.note, n.actor, n.updated_at AS updatedAt, i.rel_path AS fileName ${from}
         ORDER BY n.updated_at DESC, n.image_id DESC LIMIT @limit OFFSET @offset`,
      )
      .all(params) as NoteRow[];
    const tags = this.tagsOf(rows.map((r) => r.imageId));
    return { total, items: rows.map((r) => ({ ...r, tags: tags.get(r.imageId) ?? [] })) };
  }

  /** Every tag with the number of images carrying it, most used first (a tag spelt several ways is listed under one of them). */
  tags(): TagCounts {
    return this.db
      .prepare(`SELECT MIN(tag COLLATE BINARY) AS tag, COUNT(*) AS images FROM image_tags GROUP BY tag ORDER BY images DESC, LOWER(tag)`)
      .all() as TagCounts;
  }

  private tagsOf(imageIds: readonly number[]): Map<number, string[]> {
    const byImage = new Map<number, string[]>();
    if (imageIds.length === 0) return byImage;
    const rows = this.db
      .prepare(`SELECT image_id AS imageId, tag FROM image_tags WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY image_id, position`)
      .all(JSON.stringify(imageIds)) as { imageId: number; tag: string }[];
    for (const { imageId, tag } of rows) byImage.set(imageId, [...(byImage.get(imageId) ?? []), tag]);
    return byImage;
  }
}
