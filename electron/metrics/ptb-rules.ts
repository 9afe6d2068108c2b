/**
 * The rules of Stanford CoreNLP's PTBLexer (the JFlex grammar the COCO caption toolkit runs,
 * with its default options: PTB3 escaping, LaTeX quotes, americanize, "-LRB-" brackets), written
 * as JavaScript regexes. Only the rules that can fire on caption text are kept (no URLs, e-mail,
 * phone numbers or SGML-only entities). Order matters: like JFlex, the longest match wins and
 * ties go to the earlier rule; a rule's trailing context counts towards its length.
 *
 * A rule is a list of alternatives (each a sticky regex whose group 1, when present, is the
 * token and the rest trailing context), so "longest alternative" is computed explicitly rather
 * than trusting JS's first-alternative-wins.
 */

/** Caseless literal, e.g. ci('etc') → '[eE][tT][cC]' (the lexer is %caseless for literals only). */
function ci(word: string): string {
  return word.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}
const alts = (...words: string[]) => words.map(ci).join('|');

const LETTER = '\\p{L}';
const DIGIT = '\\p{Nd}';
const WORD = `(?:[\\p{L}\\p{M}\\u00AD]|&[aeiouAEIOU](?:${alts('acute', 'grave', 'uml')});)+`;
const APOS = `(?:['\\u0092\\u2019]|${ci('&apos;')})`;
const APOSETC = `(?:['\\u0092\\u2019\\u0091\\u2018\\u201B]|${ci('&apos;')})`;
const REDAUX = `${APOS}(?:[msdMSD]|${alts('re', 've', 'll')})`;
const SREDAUX = `[nN]${APOSETC}[tT]`;
const HYPHEN = '[-_\\u058A\\u2010\\u2011]';
const LD = `[${LETTER}${DIGIT}]`;
const THING = `(?:[dDoOlL]${APOSETC}${LD})?${LD}+(?:${HYPHEN}(?:[dDoOlL]${APOSETC}${LD})?${LD}+)*`;
const ACRO = `[A-Za-z](?:\\.[A-Za-z])+|(?:${alts('Canada', 'Sino', 'Korean', 'EU', 'Japan', 'non')})-${ci('U.S').replace('.', '\\.')}|${ci('U.S.-').replace(/\./g, '\\.')}(?:${ci('U.K').replace('.', '\\.')}|${ci('U.S.S.R').replace(/\./g, '\\.')})`;
const HTHING = `[A-Za-z0-9][A-Za-z0-9.,\\u00AD]*(?:-(?:(?:${ACRO})\\.|[A-Za-z0-9\\u00AD]+))+`;
const THINGA = `[A-Z]+(?:(?:[+&]|${ci('&amp;')})[A-Z]+)+`;
const INSENTP = '[,;:]';
const SPACE = '[ \\t\\u00A0\\u2000-\\u200A\\u3000]';
const NEWLINE = '(?:\\r\\n|[\\r\\n\\u2028\\u2029\\u000B\\u000C\\u0085])';
const SPACENL = `(?:${SPACE}|${NEWLINE})`;

// Abbreviation lists "induced from 1987 WSJ"; a bracketed capital ([A]rk) is case-sensitive.
const ABMONTH = alts('Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sept', 'Sep', 'Oct', 'Nov', 'Dec');
const ABDAYS = alts('Mon', 'Tues', 'Tue', 'Wed', 'Thurs', 'Thu', 'Fri');
const ABSTATE = [
  alts('Ala', 'Ariz'), `A${ci('rk')}`, alts('Calif', 'Colo', 'Conn', 'Dak', 'Del', 'Fla', 'Ga'), `I${ci('ll')}`,
  alts('Ind', 'Kans', 'Kan', 'Ky', 'La'), `M${ci('ass')}`, alts('Md', 'Mich', 'Minn'), `M${ci('iss')}`,
  alts('Mo', 'Mont', 'Neb', 'Nev', 'Okla'), `O${ci('re')}`, alts('Pa', 'Penn', 'Tenn', 'Tex', 'Va', 'Vt'),
  `W${ci('ash')}`, alts('Wisc', 'Wis', 'Wyo'),
].join('|');
const ABCOMP = `${alts('Inc', 'Cos', 'Co', 'Corp', 'Ltd', 'Plc', 'Bancorp', 'Dept', 'Bhd', 'Assn', 'Univ', 'Intl', 'Sys')}|[pP][pP]?${ci('ty')}[sS]?`;
const ABCOMP2 = `${alts('Invt', 'Elec', 'Natl')}|${ci('M')}[fFtT]${ci('g')}`;
const ABNUM = alts('Nos', 'No', 'Prop', 'Ph', 'tel', 'est', 'ext', 'sq', 'ft');
const ABPTIT = `${alts('Jr', 'Sr', 'Bros')}|(?:${alts('Ed', 'Ph')})\\.${ci('D')}|${alts('Blvd', 'Rd', 'Esq')}`;
const ABTITLE = [
  alts('Mrs', 'Mr', 'Ms'), `M${ci('iss')}`,
  alts('Drs', 'Dr', 'Profs', 'Prof', 'Sens', 'Sen', 'Reps', 'Rep', 'Attys', 'Atty', 'Lt', 'Col', 'Gen', 'Messrs', 'Govs', 'Gov'),
  alts('Adm', 'Rev', 'Maj', 'Sgt', 'Cpl', 'Pvt', 'Mt', 'Capt', 'Ste', 'St', 'Ave', 'Pres', 'Lieut', 'Hon', 'Brig'),
  alts('Comdr', 'Cmdr', 'Pfc', 'Spc', 'Supts', 'Supt', 'Det'),
].join('|');
const ABBREV1_ALTS = [ABMONTH, ABDAYS, ABSTATE, ABCOMP, ABNUM, ABPTIT, alts('etc', 'al', 'seq')];
const ABBREV4_ALTS = ['[A-Za-z]', ABTITLE, alts('vs', 'Alex', 'Wm', 'Jos', 'Cie'), ci('a.k.a').replace(/\./g, '\\.'), alts('cf', 'TREAS'), ACRO, ABCOMP2];

const QUOTES = `${APOS}|''|[\`\\u2018\\u2019\\u201A\\u201B\\u201C\\u201D\\u0091\\u0092\\u0093\\u0094\\u201E\\u201F\\u2039\\u203A\\u00AB\\u00BB]{1,2}`;
const MISCSYMBOL =
  '[\\u00A6\\u00A7\\u00A8\\u00A9\\u00AC\\u00AE\\u00AF\\u00B0-\\u00BA\\u00D7\\u00F7\\u0387\\u05BE\\u05C0\\u05C3\\u05C6\\u05F3\\u05F4\\u0600-\\u0603\\u0606-\\u060A\\u060C\\u0614\\u061B\\u061E\\u066A\\u066D\\u0703-\\u070D\\u07F6-\\u07F8\\u0964\\u0965\\u0E4F\\u2020-\\u2023\\u2032-\\u2038\\u2044\\u207A-\\u207F\\u208A-\\u208E\\u2100-\\u214F\\u2190-\\u21FF\\u2200-\\u22FF\\u2300-\\u23FF\\u2600-\\u26FF\\u3012\\u30FB\\uFF01-\\uFF0F\\uFF1A-\\uFF20\\uFF3B-\\uFF40\\uFF5B-\\uFF65]';

/** What a rule does with its text: the token's output form, or null to drop it (whitespace etc.). */
export type Action =
  | 'keep' | 'word' | 'soft' | 'quoteLeft' | 'quoteRight' | 'dash' | 'amp' | 'escSlash' | 'escStar' | 'frac' | 'frac2'
  | 'currency' | 'lrb' | 'rrb' | 'lcb' | 'rcb' | 'hyphens' | 'ellipsis' | 'drop' | 'cannot';

export interface Rule {
  name: string;
  alts: RegExp[];
  action: Action;
}

function rule(name: string, action: Action, ...patterns: string[]): Rule {
  return { name, action, alts: patterns.map((p) => new RegExp(p, 'uy')) };
}

export const RULES: Rule[] = [
  rule('cannot', 'cannot', ci('cannot')),
  rule('SGML', 'keep', '<\\/?[A-Za-z!][^>\\n]*>'),
  rule('SPMDASH', 'dash', `&(?:${alts('MD', 'mdash', 'ndash')});`, '[\\u0096\\u0097\\u2013\\u2014\\u2015]'),
  rule('SPAMP', 'amp', ci('&amp;')),
  rule('SPPUNC', 'keep', `&(?:${alts('HT', 'TL', 'UR', 'LR', 'QC', 'QL', 'QR', 'odq', 'cdq')}|#[0-9]+);`),
  rule('WORD/REDAUX', 'word', `(${WORD})${REDAUX}`),
  rule('SWORD/SREDAUX', 'soft', `([A-Za-z\\u00AD]*[A-MO-Za-mo-z]\\u00AD*)${SREDAUX}`),
  rule('WORD', 'word', WORD),
  rule('APOWORD', 'keep', `${APOS}[nN]${APOS}?`, `[lLdDjJ]${APOS}`, `${ci('Dunkin')}${APOS}`, `${ci('somethin')}${APOS}`, `${ci('ol')}${APOS}`,
    `${APOS}${ci('em')}`, `[A-HJ-XZn]${APOSETC}${LETTER}{2,}`, `${APOS}[2-9]0[sS]`, `${APOS}${ci('til')}${ci('l')}?`,
    `${LETTER}*[aeiouyAEIOUY]${APOSETC}[aeiouA-Z]${LETTER}*`, `${APOS}${ci('cause')}`, `${ci('cont')}'${ci('d')}\\.?`,
    `'${ci('twas')}`, `${ci('nor')}'${ci('easter')}`, `${ci('c')}'${ci('mon')}`, `${ci('e')}'${ci('er')}`,
    `${ci('s')}'${ci('mores')}`, `${ci('ev')}'${ci('ry')}`, `${ci('li')}'${ci('l')}`, `${ci('nat')}'${ci('l')}`),
  rule('APOWORD2', 'keep', `([yY]${APOS})${LETTER}`),
  rule('REDAUX/nonletter', 'quoteRight', `(${REDAUX})[^A-Za-z]`),
  rule('SREDAUX', 'quoteRight', SREDAUX),
  rule('DATE', 'escSlash', `${DIGIT}{1,2}[\\-\\/]${DIGIT}{1,2}[\\-\\/]${DIGIT}{2,4}`),
  rule('NUMBER', 'soft', `[\\-+]?${DIGIT}*(?:[.:,\\u00AD\\u066B\\u066C]${DIGIT}+)+`, `[\\-+]?${DIGIT}+`),
  rule('FRAC', 'frac', `(?:${DIGIT}{1,4}[- \\u00A0])?${DIGIT}{1,4}(?:\\\\?\\/|\\u2044)${DIGIT}{1,4}`),
  rule('FRAC2', 'frac2', '[\\u00BC\\u00BD\\u00BE\\u2153-\\u215E]'),
  rule('TBSPEC', 'amp', `-(?:${alts('RRB', 'LRB', 'RCB', 'LCB', 'RSB', 'LSB')})-`, `${ci('C.D.s').replace(/\./g, '\\.')}`, `${ci('pro')}-`, `${ci('anti')}-`,
    `${ci('S')}(?:&|${ci('&amp;')})${ci('P')}-500`, `${ci('S')}(?:&|${ci('&amp;')})${ci('Ls')}`, `${ci('Cap')}${APOS}${ci('n')}`, `${ci('c')}${APOS}${ci('est')}`),
  rule('THING3', 'escSlash', '[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}(?:\\\\?\\/[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}){1,2}'),
  rule('DOLSIGN', 'keep', '[A-Z]*\\$', '#'),
  rule('DOLSIGN2', 'currency', '[\\u00A2\\u00A3\\u00A4\\u00A5\\u0080\\u20A0\\u20AC\\u060B\\u0E3F\\u20A4\\uFFE0\\uFFE1\\uFFE5\\uFFE6]'),
  // ACRONYM/(following word) and ABBREV1/{SENTEND} only add a duplicate "." that the toolkit
  // removes again, so ABBREV1 and ABBREV2 stand for them.
  rule('ABBREV1', 'keep', ...ABBREV1_ALTS.map((a) => `(?:${a})\\.`)),
  rule('ABBREV2', 'keep', ...ABBREV4_ALTS.map((a) => `(?:${a})\\.`)),
  rule('ABBREV4/SPACE', 'keep', ...ABBREV4_ALTS.map((a) => `(${a})${SPACE}`)),
  rule('ACRO/SPACENL', 'keep', `(${ACRO})${SPACENL}`),
  rule('TBSPEC2/SPACENL', 'keep', `(${APOS}[0-9][0-9])${SPACENL}`),
  rule('WORD./INSENTP', 'soft', `(${WORD}\\.)${INSENTP}`),
  rule('DBLQUOT/alnum', 'quoteLeft', `("|${ci('&quot;')})[A-Za-z0-9$]`),
  rule('DBLQUOT', 'quoteRight', `"|${ci('&quot;')}`),
  rule('plus', 'keep', '\\+'),
  rule('percent', 'keep', '[%&\\u2030\\u2031]'),
  rule('tilde', 'keep', '[~^]'),
  rule('bar', 'drop', '[|\\\\]|0[xX]7[fF]'),
  rule('OPBRAC', 'lrb', '[<\\[]', ci('&lt;')),
  rule('CLBRAC', 'rrb', '[>\\]]', ci('&gt;')),
  rule('lbrace', 'lcb', '\\{'),
  rule('rbrace', 'rcb', '\\}'),
  rule('lparen', 'lrb', '\\('),
  rule('rparen', 'rrb', '\\)'),
  rule('HYPHENS', 'hyphens', '-+'),
  rule('LDOTS', 'ellipsis', '\\.{3,5}', '(?:\\.[ \\u00A0]){2,4}\\.', '[\\u0085\\u2026]'),
  rule('FNMARKS', 'keep', '@+', '#+', '_+'),
  rule('ASTS', 'escStar', '\\*+', '(?:\\\\\\*){1,3}'),
  rule('INSENTP', 'keep', INSENTP),
  rule('?!', 'keep', '[?!]+'),
  rule('period', 'keep', '[.\\u00A1\\u00BF\\u037E\\u0589\\u061F\\u06D4\\u0700-\\u0702\\u07FA]'),
  rule('equals', 'keep', '='),
  rule('slash', 'escSlash', '\\/'),
  rule('HTHING./INSENTP', 'soft', `(${HTHING}\\.)${INSENTP}`),
  rule('HTHING', 'soft', HTHING),
  rule('THING./INSENTP', 'keep', `(${THING}\\.)${INSENTP}`),
  rule('THING', 'keep', THING),
  rule('THINGA./INSENTP', 'amp', `(${THINGA}\\.)${INSENTP}`),
  rule('THINGA', 'amp', THINGA),
  rule("'/letter", 'quoteLeft', "(')[A-Za-z][^ \\t\\n\\r\\u00A0]"),
  rule('REDAUX', 'quoteRight', REDAUX),
  rule('QUOTES', 'quoteRight', QUOTES),
  rule('MISCSYMBOL', 'keep', MISCSYMBOL),
  rule('space', 'drop', `\\u0000|${SPACE}+|[\\u200B\\u200E\\u200F\\uFEFF]|${NEWLINE}|${ci('&nbsp;')}`),
];
