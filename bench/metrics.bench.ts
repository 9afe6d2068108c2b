/**
 * Caption-metric throughput: 5,000 images × 5 references + 1 result each, generated from a
 * seeded PRNG over a small vocabulary with varied caption lengths (5–18 words, some
 * punctuation), scored end to end (PTB tokenization, BLEU-1..4, ROUGE-L, CIDEr).
 * Target: under 10 s on this machine (issue 3).
 */
import { mulberry32 } from '../shared/mulberry32.js';
import { scoreCaptions } from '../electron/metrics/score-captions.js';

const IMAGES = 5000;
const REFS = 5;


const VOCAB = (
  'a an the man woman child dog cat bird horse car bus train plate pizza table street field beach ' +
  'kitchen bench umbrella kite frisbee skateboard surfboard red blue green white black-and-white small large ' +
  'two three several sitting standing riding holding eating playing walking flying parked next to on in ' +
  'with near of at under over while and his her its their young old wooden grassy sandy busy snowy'
).split(' ');
const PUNCT = ['.', ',', '!', "'s", ''];

const rand = mulberry32(20240603);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
function caption(): string {
  const n = 5 + Math.floor(rand() * 14);
  const words = Array.from({ length: n }, () => pick(VOCAB));
  words[0] = words[0]![0]!.toUpperCase() + words[0]!.slice(1);
  return `${words.join(' ')}${pick(PUNCT)}`;
}

const references = new Map<number, string[]>();
const results = new Map<number, string>();
for (let id = 1; id <= IMAGES; id++) {
  references.set(id, Array.from({ length: REFS }, caption));
  results.set(id, caption());
}

const start = performance.now();
const { corpus } = scoreCaptions(references, results);
const seconds = (performance.now() - start) / 1000;
console.log(`metrics: ${IMAGES} images × ${REFS} references in ${seconds.toFixed(2)} s = ${Math.round(IMAGES / seconds)} images/s`);
console.log(`  corpus: ${Object.entries(corpus).map(([k, v]) => `${k} ${v.toFixed(4)}`).join('  ')}`);
if (seconds > 10) {
  console.error('metrics: slower than the 10 s target');
  process.exitCode = 1;
}
