import type { Decision, ImageStatus, RecordableAction } from '../../../shared/contract/schemas.js';
import type { Db } from '../db.js';

interface DecisionRow {
  id: number;
  image_id: number;
  actor: string;
  created_at: string;
  action: Decision['action'];
  final_text: string | null;
  reference_id: number | null;
  candidate_id: number | null;
  undoes_id: number | null;
}

const toDecision = (r: DecisionRow): Decision => ({
  id: r.id,
  imageId: r.image_id,
  actor: r.actor,
  createdAt: r.created_at,
  action: r.action,
  finalText: r.final_text,
  referenceId: r.reference_id,
  candidateId: r.candidate_id,
  undoesId: r.undoes_id,
});

const STATUS_OF: Record<RecordableAction, ImageStatus> = {
  accept: 'accepted',
  edit: 'edited',
  reject: 'rejected',
  skip: 'skipped',
};

export interface NewDecision {
  imageId: number;
  actor: string;
  action: RecordableAction;
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

  record(d: NewDecision): Decision {
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
  undo(imageId: number, actor: string): Decision | null {
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
  current(imageId: number): Decision | null {
    const row = this.db
      .prepare(
        `SELECT * FROM decisions e WHERE e.image_id = ? AND e.action <> 'undo'
           AND NOT EXISTS (SELECT 1 FROM decisions u WHERE u.undoes_id = e.id)
         ORDER BY e.id DESC LIMIT 1`,
      )
      .get(imageId) as DecisionRow | undefined;
    return row ? toDecision(row) : null;
  }

  history(imageId: number): Decision[] {
    return (this.db.prepare(`SELECT * FROM decisions WHERE image_id = ? ORDER BY id`).all(imageId) as DecisionRow[]).map(toDecision);
  }

  get(id: number): Decision | undefined {
    const row = this.db.prepare(`SELECT * FROM decisions WHERE id = ?`).get(id) as DecisionRow | undefined;
    return row && toDecision(row);
  }

  private refreshState(imageId: number): void {
    const current = this.current(imageId);
    const status: ImageStatus = current ? STATUS_OF[current.action as RecordableAction] : 'undecided';
    const caption = status === 'accepted' || status === 'edited' ? current!.finalText : null;
    this.db
      .prepare(
        `INSERT INTO image_state (image_id, decision_id, status, caption) VALUES (?, ?, ?, ?)
         ON CONFLICT (image_id) DO UPDATE SET decision_id = excluded.decision_id, status = excluded.status, caption = excluded.caption`,
      )
      .run(imageId, current?.id ?? null, status, caption);
  }
}
