// Runs the fault-injection suite (vitest.faults.config.ts) and prints one summary line from the
// counts its test files append to a tally file; fails when a process died, an acknowledged
// decision or an earlier export was lost, or fewer faults were tried than issue 16 asks for.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MIN_FUZZED = 2000;
const MIN_KILL_POINTS = 20;

const started = Date.now();
const dir = mkdtempSync(join(tmpdir(), 'rt-faults-tally-'));
const tally = join(dir, 'tally.jsonl');
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.faults.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FAULTS_TALLY: tally },
});

const totals = { cases: 0, fuzzed: 0, deaths: 0, decisionsLost: 0, exportsDamaged: 0, killPoints: 0 };
let lines = [];
try {
  lines = readFileSync(tally, 'utf8').split('\n').filter(Boolean);
} catch {
  // no test file got as far as counting anything
}
for (const line of lines) {
  const { counter, n } = JSON.parse(line);
  totals[counter] += n;
}
rmSync(dir, { recursive: true, force: true });

const seconds = Math.round((Date.now() - started) / 1000);
// The minimums hold for the whole suite, not for a run of some files (`… tests/faults/x.faults.test.ts`) or tests (`-t NAME`).
const args = process.argv.slice(2);
const whole = !args.some((arg) => arg.endsWith('.ts') || arg === '-t' || arg.startsWith('--testNamePattern'));
const problems = [
  vitest.status !== 0 && `vitest exited with ${vitest.status ?? vitest.signal}`,
  totals.deaths > 0 && 'processes died',
  totals.decisionsLost > 0 && 'acknowledged decisions were lost',
  totals.exportsDamaged > 0 && 'earlier exports were damaged',
  whole && totals.fuzzed < MIN_FUZZED && `fewer than ${MIN_FUZZED} fuzzed requests`,
  whole && totals.killPoints < MIN_KILL_POINTS && `fewer than ${MIN_KILL_POINTS} kill points`,
].filter(Boolean);
console.log(
  `faults: ${totals.cases} cases (${totals.fuzzed} fuzzed requests), ${totals.deaths} server deaths, ` +
    `${totals.decisionsLost} acknowledged decisions lost, ${totals.exportsDamaged} earlier exports damaged, ` +
    `${totals.killPoints} kill points, ${seconds} s${problems.length ? ` — FAILED: ${problems.join('; ')}` : ''}`,
);
process.exit(problems.length ? 1 : 0);
