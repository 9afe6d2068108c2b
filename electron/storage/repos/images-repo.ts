import type { FileIdentity } from '../../files/imported-file.js';
import type { Db } from '../db.js';
import { partitionPoint } from '../partition-point.js';
import type { StoredImageStatus } from './stored-values.js';

export interface NewImage {
  datasetId: number;
  externalId: number | null;
  relPath: string;
  sha256: string;
  bytes: number;
  width: number;
  height: number;
  /** The file's identity when it was read for the import (see imported-file.ts); omitted, none. */
  identity?: FileIdentity | null;
}

/** An image with its file, its dataset's root and its review state (services map it to the API's ImageSummary / ImageDetail). */
export interface ImageRecord {
  id: number;
  datasetId: number;
  externalId: number | null;
  /** The path relative to the dataset root. */
  fileName: string;
  width: number;
  height: number;
  status: StoredImageStatus;
  /** The decided caption, else the image's first reference, else null. */
  caption: string | null;
  sha256: string;
  bytes: number;
  rootPath: string;
  /** Null for images imported before identities were recorded (migration 0007). */
  identity: FileIdentity | null;
}

export interface ImageQuery {
  offset: number;
  limit: number;
  status?: StoredImageStatus | undefined;
  datasetId?: number | undefined;
  search?: string | undefined;
  /** Only these images, ascending (e.g. the audit's disagreements). */
  ids?: readonly number[] | undefined;
}

interface ImageRow {
  id: number;
  dataset_id: number;
  external_id: number | null;
  rel_path: string;
  sha256: string;
  bytes: number;
  width: number;
  height: number;
  status: StoredImageStatus;
  caption: string | null;
  root_path: string;
  file_dev: string | null;
  file_ino: string | null;
  file_mtime_ms: number | null;
}

// The shown caption is the decided one, else the image's first reference.
const SELECT = `
  SELECT i.id, i.dataset_id, i.external_id, i.rel_path, i.sha256, i.bytes, i.width, i.height,
    s.status,
    COALESCE(s.caption, (SELECT r.text FROM reference_captions r WHERE r.image_id = i.id ORDER BY r.id LIMIT 1)) AS caption,
    d.root_path, i.file_dev, i.file_ino, i.file_mtime_ms
  FROM images i
  JOIN image_state s ON s.image_id = i.id
  JOIN datasets d ON d.id = i.dataset_id`;

const toRecord = (r: ImageRow): ImageRecord => ({
  id: r.id,
  datasetId: r.dataset_id,
  externalId: r.external_id,
  fileName: r.rel_path,
  width: r.width,
  height: r.height,
  status: r.status,
  caption: r.caption,
  sha256: r.sha256,
  bytes: r.bytes,
  rootPath: r.root_path,
  identity: r.file_dev === null || r.file_ino === null || r.file_mtime_ms === null ? null : { dev: r.file_dev, ino: r.file_ino, size: r.bytes, mtimeMs: r.file_mtime_ms },
});

export class ImagesRepo {
  constructor(private readonly db: Db) {}

  insert(image: NewImage): number {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO images (dataset_id, external_id, rel_path, sha256, bytes, width, height, created_at, file_dev, file_ino, file_mtime_ms)
         VALUES (@datasetId, @externalId, @relPath, @sha256, @bytes, @width, @height, @createdAt, @dev, @ino, @mtimeMs)`,
      )
      .run({
        datasetId: image.datasetId,
        externalId: image.externalId,
        relPath: image.relPath,
        sha256: image.sha256,
        bytes: image.bytes,
        width: image.width,
        height: image.height,
        createdAt: new Date().toISOString(),
        dev: image.identity?.dev ?? null,
        ino: image.identity?.ino ?? null,
        mtimeMs: image.identity?.mtimeMs ?? null,
      });
    const id = Number(lastInsertRowid);
    this.db.prepare(`INSERT INTO image_state (image_id, status) VALUES (?, 'undecided')`).run(id);
    return id;
  }

  /**
   * Records the identity an image's file has now, after its bytes were found to be the imported
   * ones (a copied or restored dataset), so later reads need not hash it again.
   */
  adoptIdentity(id: number, identity: FileIdentity): void {
    this.db.prepare(`UPDATE images SET file_dev = ?, file_ino = ?, file_mtime_ms = ? WHERE id = ? AND bytes = ?`).run(identity.dev, identity.ino, identity.mtimeMs, id, identity.size);
  }

  get(id: number): ImageRecord | undefined {
    const row = this.db.prepare(`${SELECT} WHERE i.id = ?`).get(id) as ImageRow | undefined;
    return row && toRecord(row);
  }

  findByRelPath(datasetId: number, relPath: string): { id: number; externalId: number | null } | undefined {
    return this.db
      .prepare(`SELECT id, external_id AS externalId FROM images WHERE dataset_id = ? AND rel_path = ?`)
      .get(datasetId, relPath) as { id: number; externalId: number | null } | undefined;
  }

  findByExternalId(datasetId: number, externalId: number): number | undefined {
    return this.db
      .prepare(`SELECT id FROM images WHERE dataset_id = ? AND external_id = ?`)
      .pluck()
      .get(datasetId, externalId) as number | undefined;
  }

  count(): number {
    return this.db.prepare(`SELECT COUNT(*) FROM images`).pluck().get() as number;
  }

  list(query: ImageQuery): { total: number; items: ImageRecord[] } {
    const { ids, offset, limit, ...rest } = query;
    // Only a list of ids: paged here, so SQLite reads one page of them rather than all of them (twice).
    if (ids && !hasClauses(rest)) {
      const rows = this.db
        .prepare(`${SELECT} WHERE i.id IN (SELECT value FROM json_each(?)) ORDER BY i.id`)
        .all(JSON.stringify(ids.slice(offset, offset + limit))) as ImageRow[];
      return { total: ids.length, items: rows.map(toRecord) };
    }
    const { where, params } = imageFilter(query);
    const total = this.db
      .prepare(`SELECT COUNT(*) FROM images i JOIN image_state s ON s.image_id = i.id ${where}`)
      .pluck()
      .get(params) as number;
    const rows = this.db
      .prepare(`${SELECT} ${where} ORDER BY i.id LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit, offset }) as ImageRow[];
    return { total, items: rows.map(toRecord) };
  }

  /** Ids before and after `id` in grid order, within the same filter. */
  neighbours(id: number, query: Omit<ImageQuery, 'offset' | 'limit'> = {}): { previous: number | null; next: number | null } {
    const { ids, ...rest } = query;
    if (ids && !hasClauses(rest)) {
      const at = partitionPoint(ids, (x) => x < id);
      return { previous: ids[at - 1] ?? null, next: ids[ids[at] === id ? at + 1 : at] ?? null };
    }
    const { where, params } = imageFilter(query);
    const and = where ? `${where} AND` : 'WHERE';
    const base = `SELECT i.id FROM images i JOIN image_state s ON s.image_id = i.id`;
    const previous = this.db.prepare(`${base} ${and} i.id < @id ORDER BY i.id DESC LIMIT 1`).pluck().get({ ...params, id });
    const next = this.db.prepare(`${base} ${and} i.id > @id ORDER BY i.id LIMIT 1`).pluck().get({ ...params, id });
    return { previous: (previous as number | undefined) ?? null, next: (next as number | undefined) ?? null };
  }

  /**
   * Up to `limit` images with an id above `afterId`, in id order. Long exports read in pages
   * because an open `iterate()` keeps the connection busy: held across awaits it would make
   * every write in the app (e.g. a decision) fail until the export finished.
   */
  page(afterId: number, limit: number, datasetId?: number): ImageRecord[] {
    const params = datasetId === undefined ? { afterId, limit } : { afterId, limit, datasetId };
    const dataset = datasetId === undefined ? '' : 'AND i.dataset_id = @datasetId';
    const rows = this.db.prepare(`${SELECT} WHERE i.id > @afterId ${dataset} ORDER BY i.id LIMIT @limit`).all(params) as ImageRow[];
    return rows.map(toRecord);
  }

  /** Streams every image of a dataset (or all) in id order, for exports. */
  *iterate(datasetId?: number): Generator<ImageRecord> {
    const where = datasetId === undefined ? '' : 'WHERE i.dataset_id = @datasetId';
    const stmt = this.db.prepare(`${SELECT} ${where} ORDER BY i.id`);
    for (const row of stmt.iterate(datasetId === undefined ? {} : { datasetId })) yield toRecord(row as ImageRow);
  }
}

function hasClauses(query: Omit<ImageQuery, 'offset' | 'limit'>): boolean {
  return imageFilter(query).where !== '';
}

/** The WHERE clause (over `images i` joined with `image_state s`) of a grid filter, and its parameters. */
export function imageFilter(query: Omit<ImageQuery, 'offset' | 'limit'>): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.status) {
    clauses.push('s.status = @status');
    params.status = query.status;
  }
  if (query.datasetId !== undefined) {
    clauses.push('i.dataset_id = @datasetId');
    params.datasetId = query.datasetId;
  }
  const search = query.search?.trim();
  if (search) {
    // Search the decided caption, every reference and the file name.
    clauses.push(`(s.caption LIKE @search ESCAPE '\\' OR i.rel_path LIKE @search ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM reference_captions r WHERE r.image_id = i.id AND r.text LIKE @search ESCAPE '\\'))`);
    params.search = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  if (query.ids) {
    clauses.push('i.id IN (SELECT value FROM json_each(@ids))');
    params.ids = JSON.stringify(query.ids);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
