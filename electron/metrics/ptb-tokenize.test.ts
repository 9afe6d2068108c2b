/**
 * The tokenizer on hard cases. Expected strings follow Stanford PTBLexer's rules (default
 * options, -preserveLines -lowerCase) followed by pycocoevalcap's punctuation filter.
 */
import { describe, expect, it } from 'vitest';
import { ptbTokenize } from './ptb-tokenize.js';

const CASES: [string, string][] = [
  ["A man isn't here.", "a man is n't here"],
  ["Don't touch it", "do n't touch it"],
  ["It can't fly", "it ca n't fly"],
  ["They won't go", "they wo n't go"],
  ['I cannot see', 'i can not see'],
  ["It's a dog's bone", "it 's a dog 's bone"],
  ["We're here, they'll come, I'd go, we've won, I'm in", "we 're here they 'll come i 'd go we 've won i 'm in"],
  ['A shirt costs $8.99 today', 'a shirt costs $ 8.99 today'],
  ['Only 50% left', 'only 50 % left'],
  ['1,000 birds and 3.5 cats', '1,000 birds and 3.5 cats'],
  ['Made in the U.S.', 'made in the u.s.'],
  ['The u.s. flag', 'the u.s. flag'],
  ['A dog (left) and a cat (right)', 'a dog -lrb- left -rrb- and a cat -lrb- right -rrb-'],
  ['A sign [closed] {now}', 'a sign -lrb- closed -rrb- -lcb- now -rcb-'],
  ['Wow!!!', 'wow !!!'],
  ['Really?!', 'really ?!'],
  ['Stop!', 'stop'],
  ['!!!', '!!!'],
  ['...', ''],
  ['.', ''],
  ['', ''],
  ['   ', ''],
  // Runs of spaces (skipped without the rule scan) next to tokens whose rules look at a following space.
  ['  two  spaces  between   words ', 'two spaces between words'],
  ['Made in the U.S.  and  e.g.  here', 'made in the u.s. and e.g. here'],
  ["It 's  a  dog 's   bone", "it 's a dog 's bone"],
  ['A  .  B . . .  c', 'a b c'],
  ['Tabs\tand\u00a0nbsp  mixed', 'tabs and nbsp mixed'],
  ['A black-and-white photo of a t-shirt', 'a black-and-white photo of a t-shirt'],
  ['A 10-year-old boy', 'a 10-year-old boy'],
  ['A man - with a hat -- and --- a dog', 'a man with a hat and a dog'],
  ['Wait... what', 'wait what'],
  ['A "quoted" word', 'a quoted word'],
  ["The 'single' quotes", 'the single quotes'],
  ['Curly “quotes” and don’t', "curly quotes and do n't"],
  ['Cats and/or dogs', 'cats and\\/or dogs'],
  ['A 1/2 pizza', 'a 1\\/2 pizza'],
  ['AT&T and A & B', 'at&t and a & b'],
  ['Fish &amp; chips', 'fish & chips'],
  ['A #1 fan @ home', 'a # 1 fan @ home'],
  ['A *star* sign', 'a \\* star \\* sign'],
  ['A grey cat on a colourful mat', 'a gray cat on a colorful mat'],
  ['Grey cat', 'grey cat'],
  ['Mr. Smith and Dr. Jones', 'mr. smith and dr. jones'],
  ['The sign says no.', 'the sign says no.'],
  ['The letter A.', 'the letter a.'],
  ['e.g. a dog', 'e.g. a dog'],
  ['A cat 😀 on a mat', 'a cat on a mat'],
  ['A pipe | and \\ slash', 'a pipe and slash'],
  ['Dogs; cats: birds, fish', 'dogs cats birds fish'],
  ["In the '90s", "in the '90s"],
  ["At five o'clock", "at five o'clock"],
  ['Line one\nline two', 'line one line two'],
  ['A 3.5-inch screen', 'a 3.5-inch screen'],
  ['½ cup', '1\\/2 cup'],
  ['A £5 note and a €10 bill', 'a # 5 note and a $ 10 bill'],
  ['Temperature 20° outside', 'temperature 20 ° outside'],
  ['TWO  DOGS\tRUNNING', 'two dogs running'],
];

describe('ptbTokenize', () => {
  it.each(CASES)('%j → %j', (input, expected) => {
    expect(ptbTokenize(input)).toBe(expected);
  });

  it('pins at least 30 hard cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });
});
