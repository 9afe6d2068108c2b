// `npm run lint:electron`: Doyensec's Electronegativity over the repository, as
// `npx @doyensec/electronegativity -i .` runs it, failing on any finding above LOW (issue 16).
// A finding that is right for this app is silenced at its line with Electronegativity's own
// inline syntax, `// eng-disable CHECK_ID: why`, so each accepted finding is explained where it
// is; this script refuses an eng-disable that gives no reason. Runs offline: the tool's look-ups
// of translations and Electron releases fail politely and the checks still run.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');

/** Severities as Electronegativity numbers them (finder/attributes.js). */
const LOW = 1;

/**
 * @param {{ id: string, file: string, location: { line: number, column: number }, severity: { value: number, name: string }, description: string }[]} issues
 * @returns {string[]} one line per finding above LOW
 */
export function findingsAboveLow(issues, root = ROOT) {
  return issues
    .filter((issue) => issue.severity.value > LOW)
    .map((i) => `${relative(root, i.file)}:${i.location.line}:${i.location.column} ${i.id} (${i.severity.name}) ${i.description}`);
}

/** `eng-disable` comments in `text` that name checks but say nothing about why, as `line: comment`. */
export function unexplainedDisables(text) {
  const found = [];
  text.split('\n').forEach((line, index) => {
    const match = /(?:\/\/|\/\*|<!--)[ \t]*eng-disable[ \t]+([\w \t,]*)(.*)$/.exec(line);
    if (!match) return;
    // Electronegativity reads check ids up to the first character outside [\w \t]; the reason follows a colon.
    const reason = /^[:\-–—][ \t]*(.{10,})/.exec(match[2].trim());
    if (!reason) found.push(`${index + 1}: ${line.trim()}`);
  });
  return found;
}

/** Files Electronegativity reads (util/file.js): scripts and HTML outside node_modules. */
function scannedFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === '.git') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return scannedFiles(path);
    return /\.(js|jsx|ts|tsx|html|htm)$/.test(entry.name) ? [path] : [];
  });
}

async function main() {
  const { default: run } = await import('@doyensec/electronegativity/dist/runner.js');
  const result = await run({
    input: ROOT,
    customScan: [],
    excludeFromScan: [],
    severitySet: 'informational',
    confidenceSet: 'tentative',
    isRelative: false,
    isVerbose: true,
    parserPlugins: [],
  });
  const failures = findingsAboveLow(result.issues);
  for (const file of scannedFiles(ROOT)) {
    for (const hit of unexplainedDisables(readFileSync(file, 'utf8'))) failures.push(`${relative(ROOT, file)}:${hit} (eng-disable without a reason)`);
  }
  const unparsed = result.errors.filter((e) => !e.tolerable).map((e) => relative(ROOT, e.file));
  if (unparsed.length > 0) console.warn(`electronegativity could not parse ${unparsed.length} file(s), not checked: ${unparsed.join(', ')}`);
  const low = result.issues.length - findingsAboveLow(result.issues).length;
  for (const line of failures) console.error(line);
  console.log(`electronegativity: ${result.atomicChecks + result.globalChecks} checks, ${failures.length} finding(s) above LOW unexplained, ${low} at LOW or below`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
