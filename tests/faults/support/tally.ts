/**
 * The fault suite's running totals. Each test file appends what it tried and what went wrong to
 * one JSON-lines file (`$FAULTS_TALLY`, set by scripts/test-faults.mjs), so the counts survive a
 * test file that fails halfway; the script adds them up into the one summary line.
 */
import { appendFileSync } from 'node:fs';

export type Counter =
  /** Every fault tried: a frame, a request, a race round, a kill point, a full-disk export. */
  | 'cases'
  /** Requests of random payloads to API methods (acceptance: at least 2,000). */
  | 'fuzzed'
  /** Processes that ended without being told to: the server, or a CLI run not killed by the test. */
  | 'deaths'
  | 'decisionsLost'
  | 'exportsDamaged'
  | 'killPoints';

const pending = new Map<Counter, number>();

export function count(counter: Counter, n = 1): void {
  pending.set(counter, (pending.get(counter) ?? 0) + n);
  // Losses and deaths are written at once; plain case counts in batches.
  if (counter !== 'cases' && counter !== 'fuzzed') flushTally();
  else if ((pending.get(counter) ?? 0) >= 100) flushTally();
}

/** Writes the counts not yet written; test files call it in afterAll. */
export function flushTally(): void {
  const file = process.env.FAULTS_TALLY;
  const lines = [...pending].filter(([, n]) => n > 0).map(([counter, n]) => `${JSON.stringify({ counter, n })}\n`);
  pending.clear();
  if (file && lines.length > 0) appendFileSync(file, lines.join(''));
}
