import type { Db } from '../db.js';
import type { StoredChoice, StoredDecisionAction, StoredImageStatus } from './stored-values.js';

interface DecisionRow {
  id: number;
  image_id: number;
  actor: string;
  created_at: string;
  action: StoredDecisionAction;
  final_text: string | null;
  reference_id: number | null;
  candidate_id: number | null;
  run_id: number | null;
  undoes_id: number | null;
}

// A candidate row belongs to one run for good, so a decision's run is read through its candidate.
const SELECT = `SELECT d.*, c.run_id FROM decisions d LEFT JOIN candidates c ON c.id = d.candidate_id`;

/** A row of the decision log, with the run of its candidate (services map it to the API's Decision). */
export interface DecisionRecord {
  id: number;
  imageId: number;
  actor: string;
  createdAt: string;
  action: StoredDecisionAction;
  finalText: string | null;
  referenceId: number | null;
  candidateId: number | null;
  runId: number | null;
  undoesId: number | null;
}

const toRecord = (r: DecisionRow): DecisionRecord => ({
  id: r.id,
  imageId: r.image_id,
  actor: r.actor,
  createdAt: r.created_at,
  action: r.action,
  finalText: r.final_text,
  referenceId: r.reference_id,
  candidateId: r.candidate_id,
  runId: r.run_id,
  undoesId: r.undoes_id,
});

const STATUS_OF: Record<StoredChoice, StoredImageStatus> = {
  accept: 'accepted',
  edit: 'edited',
  reject: 'rejected',
  skip: 'skipped',
};

export interface NewDecision {
  imageId: number;
  actor: string;
  action: StoredChoice;
  finalText: string | null;
  referenceId: number | null;
  candidateId: number | null;
}

/**
 * The append-only decision log. Every write also refreshes the image's row in `image_state`
 * inside the same transaction, so the cache can never disagree with the log.
 */
export class DecisionsRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(d: NewDecision): DecisionRecord {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO decisions (image_id, actor, created_at, action, final_text, reference_id, candidate_id)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(d.imageId, d.actor, this.now().toISOString(), d.action, d.finalText, d.referenceId, d.candidateId);
      this.refreshState(d.imageId);
      return this.get(Number(lastInsertRowid))!;
    })();
  }

  /** Appends an undo of the decision in force; returns null when there is nothing to undo. */
  undo(imageId: number, actor: string): DecisionRecord | null {
    return this.db.transaction(() => {
      const current = this.current(imageId);
      if (!current) return null;
      const { lastInsertRowid } = this.db
        .prepare(`INSERT INTO decisions (image_id, actor, created_at, action, undoes_id) VALUES (?, ?, ?, 'undo', ?)`)
        .run(imageId, actor, this.now().toISOString(), current.id);
      this.refreshState(imageId);
      return this.get(Number(lastInsertRowid))!;
    })();
  }

  /** The latest decision that is not an undo and has not been undone. */
  current(imageId: number): DecisionRecord | null {
    const row = this.db
      .prepare(
        `${SELECT} WHERE d.image_id = ? AND d.action <> 'undo'
           AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes_id = d.id)
         ORDER BY d.id DESC LIMIT 1`,
      )
      .get(imageId) as DecisionRow | undefined;
    return row ? toRecord(row) : null;
  }

  /**
   * The latest decision of `actor` still in force on its image (not undone, not superseded by a
   * later decision there), on whichever image: what "undo" means in a review session. It is read
   * from the log, so it survives a restart; undoing it and asking again steps further back.
   */
  latestInForce(actor: string): DecisionRecord | null {
    const row = this.db
      .prepare(
        `${SELECT} WHERE d.actor = ? AND d.action <> 'undo'
           AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes_id = d.id)
           AND NOT EXISTS (
             SELECT 1 FROM decisions l WHERE l.image_id = d.image_id AND l.id > d.id AND l.action <> 'undo'
               AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes_id = l.id))
         ORDER BY d.id DESC LIMIT 1`,
      )
      .get(actor) as DecisionRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Undoes `actor`'s latest decision in force (see latestInForce); null when there is none. */
  undoLatest(actor: string): DecisionRecord | null {
    return this.db.transaction(() => {
      const latest = this.latestInForce(actor);
      return latest && this.undo(latest.imageId, actor);
    })();
  }

  history(imageId: number): DecisionRecord[] {
    return (this.db.prepare(`${SELECT} WHERE d.image_id = ? ORDER BY d.id`).all(imageId) as DecisionRow[]).map(toRecord);
  }

  get(id: number): DecisionRecord | undefined {
    const row = this.db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as DecisionRow | undefined;
    return row && toRecord(row);
  }

  private refreshState(imageId: number): void {
    const current = this.current(imageId);
    const status: StoredImageStatus = current ? STATUS_OF[current.action as StoredChoice] : 'undecided';
    const caption = status === 'accepted' || status === 'edited' ? current!.finalText : null;
    this.db
      .prepare(
        `INSERT INTO image_state (image_id, decision_id, status, caption) VALUES (?, ?, ?, ?)
         ON CONFLICT (image_id) DO UPDATE SET decision_id = excluded.decision_id, status = excluded.status, caption = excluded.caption`,
      )
      .run(imageId, current?.id ?? null, status, caption);
  }
}
