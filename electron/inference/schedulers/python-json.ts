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
// A string no JSON text can produce by accident (it contains U+0000), standing in for each word.
const MARK = '\u0000python-float:';

/** JSON.parse that also accepts Python's `Infinity`, `-Infinity` and `NaN` outside strings. */
export function parsePythonJson(text: string): unknown {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const word = Object.keys(WORDS).find((w) => text.startsWith(w, i) && !/[\w$]/.test(text[i + w.length] ?? ''));
    if (word && !/[\w$.]/.test(text[i - 1] ?? '')) {
      out += JSON.stringify(MARK + word);
      i += word.length - 1;
      continue;
    }
    out += c;
  }
  return JSON.parse(out, (_key, value: unknown) => (typeof value === 'string' && value.startsWith(MARK) ? WORDS[value.slice(MARK.length)] : value));
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
