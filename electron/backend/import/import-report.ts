/** Collects the outcome of one import: counts, per-item problems and how long it took. */
import type { ImportProblem, ImportReport } from '../../../shared/contract/schemas.js';

export type ProblemCode = ImportProblem['code'];

export class ReportBuilder {
  imported = 0;
  alreadyPresent = 0;
  references = 0;
  readonly problems: ImportProblem[] = [];
  private readonly started = performance.now();

  problem(item: string, code: ProblemCode, message: string): void {
    this.problems.push({ item, code, message });
  }

  build(datasetId: number): ImportReport {
    return {
      datasetId,
      imported: this.imported,
      alreadyPresent: this.alreadyPresent,
      references: this.references,
      problems: this.problems,
      durationMs: Math.max(0, performance.now() - this.started),
    };
  }
}
