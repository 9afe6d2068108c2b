/**
 * diffusers writes scheduler_config.json with Python's json module, which spells infinite and
 * NaN floats as the bare words `Infinity`, `-Infinity` and `NaN` — not JSON. Every saved
 * DPMSolverMultistepScheduler config carries one (`"lambda_min_clipped": -Infinity`, its
 * default), so JSON.parse would refuse the file. This reads those words as the numbers
 * Python meant; everything else is plain JSON, parsed by JSON.parse.
 */
import { readFileSync } from 'node:fs';
import { ApiError, ErrorCode } from '../../../shared/contract/errors.js';
import { jsonErrorMessage } from '../../../shared/json-error.js';

const WORDS: Record<string, number> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: NaN };

/**
 * JSON.parse that also accepts Python's `Infinity`, `-Infinity` and `NaN` outside strings.
 * Each bare word is replaced by a marker string that JSON.parse reads back as a string, which the
 * reviver turns into the number. The marker is chosen after reading every string of the text
 * (escapes decoded), as a prefix none of them starts with, so no string the file holds — not even
 * `"\u0000…"` spelling a marker — can come back as a number.
 */
export function parsePythonJson(text: string): unknown {
  const { pieces, strings } = splitBareWords(text);
  let mark = '\u0000python-float:';
  while (strings.some((s) => s.startsWith(mark))) mark = `\u0000${mark}`;
  const out = pieces.map((p) => (typeof p === 'string' ? p : JSON.stringify(mark + p.word))).join('');
  return JSON.parse(out, (key, value: unknown) => {
    // A bare word where a key belongs is not JSON in Python's dialect either.
    if (key.startsWith(mark)) throw new SyntaxError(`${key.slice(mark.length)} cannot be an object key`);
    return typeof value === 'string' && value.startsWith(mark) ? WORDS[value.slice(mark.length)] : value;
  });
}

/** The text cut at each bare word outside strings, with every string literal's decoded value. */
function splitBareWords(text: string): { pieces: (string | { word: string })[]; strings: string[] } {
  const pieces: (string | { word: string })[] = [];
  const strings: string[] = [];
  let plain = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const literal = text.slice(start, i + 1);
      plain += literal;
      try {
        strings.push(JSON.parse(literal) as string);
      } catch {
        // A broken string makes the whole text fail in JSON.parse below, naming the position.
      }
      continue;
    }
    const word = Object.keys(WORDS).find((w) => text.startsWith(w, i) && !/[\w$]/.test(text[i + w.length] ?? ''));
    if (word && !/[\w$.]/.test(text[i - 1] ?? '')) {
      pieces.push(plain, { word });
      plain = '';
      i += word.length - 1;
      continue;
    }
    plain += c;
  }
  pieces.push(plain);
  return { pieces, strings };
}

/** Reads a diffusers config file, naming it in errors like readModelJson does. */
export function readPythonJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ApiError(code === 'ENOENT' ? ErrorCode.NotFound : ErrorCode.BadFormat, `${file}: ${code === 'ENOENT' ? 'missing file' : `cannot be read (${code ?? String(error)})`}`);
  }
  try {
    return parsePythonJson(text);
  } catch (error) {
    throw new ApiError(ErrorCode.BadFormat, `${file}: not valid JSON (${jsonErrorMessage(error)})`);
  }
}
