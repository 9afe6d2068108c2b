/**
 * The COCO caption toolkit's tokenization (pycocoevalcap `PTBTokenizer`): Stanford CoreNLP
 * 3.4.1's PTBTokenizer run with `-preserveLines -lowerCase` over one caption per line, then the
 * tokens in PUNCTUATIONS dropped and the rest joined with single spaces.
 *
 * Consequences worth knowing (they are the toolkit's, kept on purpose):
 *  - brackets become -LRB-/-RRB-/-LCB-/-RCB- and are lower-cased *before* the punctuation filter,
 *    whose list is upper-case, so "(left)" scores as "-lrb- left -rrb-";
 *  - "!!!" and "?!" are one token that is not in the list and survives; "%", "$", "&", "#" too;
 *  - "/" and "*" are escaped ("and/or" → "and\/or"), single-letter and listed abbreviations
 *    keep their period ("u.s.", "no.", "a."), "isn't" → "is n't", "cannot" → "can not";
 *  - "|" and "\" are deleted, as are characters the lexer does not know (emoji).
 */
import { americanize } from './americanize.js';
import { RULES, type Action } from './ptb-rules.js';

/** Removed by pycocoevalcap after tokenizing (its PUNCTUATIONS list, verbatim). */
const PUNCTUATIONS = new Set(["''", "'", '``', '`', '-LRB-', '-RRB-', '-LCB-', '-RCB-', '.', '?', '!', ',', ':', '-', '--', '...', ';']);

/** Backslash-escapes c unless it is already escaped (the lexer's `delimit`). */
function delimit(s: string, c: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === c && (i === 0 || s[i - 1] !== '\\')) out += '\\';
    out += s[i];
  }
  return out;
}

const removeSoftHyphens = (s: string) => s.replace(/\u00AD/g, '');

/** LaTeX quote mapping (latexQuotes is the default quote style). */
function latexQuotes(s: string, probablyLeft: boolean): string {
  let out = probablyLeft
    ? s.replace(/&apos;|'/g, '`').replace(/"|&quot;/g, '``')
    : s.replace(/&apos;|'/g, "'").replace(/"|&quot;/g, "''");
  out = out.replace(/[\u0091\u2018\u201B\u2039]/g, '`').replace(/[\u0092\u2019\u203A]/g, "'");
  return out.replace(/[\u0093\u201C\u00AB]/g, '``').replace(/[\u0094\u201D\u00BB]/g, "''");
}

function normalizeCurrency(s: string): string {
  return s.replace(/\u00A2/g, 'cents').replace(/\u00A3/g, '#').replace(/[\u0080\u00A4\u20A0\u20AC]/g, '$');
}

/** The lexer's fraction map (its "2/3" line maps U+2153 again, so ⅔ is left alone). */
const FRACTIONS: Record<string, string> = { '\u00BC': '1\\/4', '\u00BD': '1\\/2', '\u00BE': '3\\/4', '\u2153': '1\\/3' };

function apply(action: Action, text: string): string | null {
  switch (action) {
    case 'keep': return text;
    case 'word': return americanize(removeSoftHyphens(text));
    case 'soft': return removeSoftHyphens(text);
    case 'quoteLeft': return latexQuotes(text, true);
    case 'quoteRight': return latexQuotes(text, false);
    case 'dash': return '--';
    case 'amp': return text.replace(/&amp;/gi, '&');
    case 'escSlash': return delimit(text, '/');
    case 'escStar': return delimit(text, '*');
    case 'frac': return delimit(text, '/').replace(/ /g, '\u00A0');
    case 'frac2': return FRACTIONS[text] ?? text;
    case 'currency': return normalizeCurrency(text);
    case 'lrb': return '-LRB-';
    case 'rrb': return '-RRB-';
    case 'lcb': return '-LCB-';
    case 'rcb': return '-RCB-';
    case 'hyphens': return text.length >= 3 && text.length <= 4 ? '--' : text;
    case 'ellipsis': return '...';
    case 'drop': return null;
    case 'cannot': return text; // handled by the caller (push back "not")
  }
}

const PLAIN_WORD = /([A-Za-z]+)[ \n]/y;

/** PTB tokens of one line, before lower-casing and the punctuation filter. */
export function ptbLex(line: string): string[] {
  // Each caption is followed by a newline in the toolkit's input file; trailing-context rules
  // (e.g. "u.s" before whitespace) see it.
  const text = `${line}\n`;
  const tokens: string[] = [];
  let pos = 0;
  while (pos < line.length) {
    // Fast path for the spaces between words, same result as the rules: only the 'space' rule
    // matches at an ASCII space, and it drops the run.
    if (text.charCodeAt(pos) === 32) {
      pos++;
      continue;
    }
    // Fast path, same result as the rules: a plain ASCII word followed by a space or the line
    // end can only be {WORD} (every longer rule needs an apostrophe, period, hyphen, slash, +
    // or &), except "cannot", which the rules split.
    PLAIN_WORD.lastIndex = pos;
    const plain = PLAIN_WORD.exec(text);
    if (plain && plain[1]!.toLowerCase() !== 'cannot') {
      tokens.push(americanize(plain[1]!));
      pos += plain[1]!.length;
      continue;
    }
    let bestLen = 0;
    let bestTokLen = 0;
    let bestAction: Action = 'drop';
    for (const rule of RULES) {
      for (const re of rule.alts) {
        re.lastIndex = pos;
        const m = re.exec(text);
        if (!m || m[0].length <= bestLen) continue;
        bestLen = m[0].length;
        bestTokLen = m[1] !== undefined ? m[1].length : m[0].length;
        bestAction = rule.action;
      }
    }
    if (bestLen === 0) {
      // Untokenizable character: the tokenizer's default is to delete it (with a warning).
      pos += (text.codePointAt(pos)! > 0xffff) ? 2 : 1;
      continue;
    }
    if (bestAction === 'cannot') {
      tokens.push(text.slice(pos, pos + 3));
      pos += 3; // "not" is lexed again
      continue;
    }
    const out = apply(bestAction, text.slice(pos, pos + bestTokLen));
    if (out !== null) tokens.push(out);
    pos += bestTokLen;
  }
  return tokens;
}

const cache = new Map<string, string>();

/**
 * One caption as the toolkit scores it: lower-cased PTB tokens without its punctuation list,
 * joined by single spaces ("" when nothing is left).
 */
export function ptbTokenize(caption: string): string {
  const hit = cache.get(caption);
  if (hit !== undefined) return hit;
  const line = caption.replace(/\n/g, ' ');
  const kept = ptbLex(line)
    .map((t) => t.toLowerCase())
    .filter((t) => !PUNCTUATIONS.has(t));
  const result = kept.join(' ').replace(/[\s\u0085\u001c-\u001f]+$/u, '');
  if (cache.size > 200_000) cache.clear();
  cache.set(caption, result);
  return result;
}
