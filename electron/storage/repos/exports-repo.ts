/**
 * The project's log of finished exports (migration 0005): what was exported, where, with which
 * filters, how much, and from which runs. Append-only from the app's side.
 */
import type { Db } from '../db.js';

export interface NewExportRecord {
  format: string;
  path: string;
  filters: Record<string, unknown>;
  counts: Record<string, number>;
  provenance: { runs: unknown[] };
  actor: string;
  startedAt: string;
  finishedAt: string;
}

export interface ExportRecord extends NewExportRecord {
  id: number;
}

interface ExportRow {
  id: number;
  format: string;
  path: string;
  filters: string;
  counts: string;
  provenance: string;
  actor: string;
  started_at: string;
  finished_at: string;
}

const toRecord = (r: ExportRow): ExportRecord => ({
  id: r.id,
  format: r.format,
  path: r.path,
  filters: JSON.parse(r.filters) as Record<string, unknown>,
  counts: JSON.parse(r.counts) as Record<string, number>,
  provenance: JSON.parse(r.provenance) as { runs: unknown[] },
  actor: r.actor,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export class ExportsRepo {
  constructor(private readonly db: Db) {}

  record(e: NewExportRecord): ExportRecord {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO exports (format, path, filters, counts, provenance, actor, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.format, e.path, JSON.stringify(e.filters), JSON.stringify(e.counts), JSON.stringify(e.provenance), e.actor, e.startedAt, e.finishedAt);
    return this.get(Number(lastInsertRowid))!;
  }

  get(id: number): ExportRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM exports WHERE id = ?`).get(id) as ExportRow | undefined;
    return row && toRecord(row);
  }

  /** True when an export of this project was written to one of `paths` (a file it may replace). */
  exportedTo(paths: readonly string[]): boolean {
    if (paths.length === 0) return false;
    return this.db.prepare(`SELECT 1 FROM exports WHERE path IN (${paths.map(() => '?').join(', ')}) LIMIT 1`).get(...paths) !== undefined;
  }

  /** The exports written to one of `paths`, newest first (a folder export may replace only one of these). */
  at(paths: readonly string[]): ExportRecord[] {
    if (paths.length === 0) return [];
    const rows = this.db.prepare(`SELECT * FROM exports WHERE path IN (${paths.map(() => '?').join(', ')}) ORDER BY id DESC`).all(...paths) as ExportRow[];
    return rows.map(toRecord);
  }

  /** Every export, newest first. */
  list(): ExportRecord[] {
    return (this.db.prepare(`SELECT * FROM exports ORDER BY id DESC`).all() as ExportRow[]).map(toRecord);
  }
}
