import { describe, expect, it } from 'vitest';
import { csvLine } from './csv.js';

describe('csvLine', () => {
  it('quotes what needs quoting and leaves missing values empty', () => {
    expect(csvLine(['a', 1, 0.5, true, null, undefined])).toBe('a,1,0.5,true,,\r\n');
    expect(csvLine(['say "hi", then go', 'two\nlines', '=1+1'])).toBe('"say ""hi"", then go","two\nlines",\'=1+1\r\n');
    expect(csvLine([Number.NaN, Number.NEGATIVE_INFINITY, -0.25])).toBe(',,-0.25\r\n');
  });

  it('keeps spreadsheets from running text as a formula: a leading = + - @ gets a single quote', () => {
    expect(csvLine(['+cmd', '-1 apple', '@SUM(A1)', '=HYPERLINK("x","y")', 'a = b', -3])).toBe(`'+cmd,'-1 apple,'@SUM(A1),"'=HYPERLINK(""x"",""y"")",a = b,-3\r\n`);
  });
});
