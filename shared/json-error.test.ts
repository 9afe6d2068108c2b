import { describe, expect, it } from 'vitest';
import { jsonErrorMessage } from './json-error.js';

const failure = (text: string) => {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonErrorMessage(error);
  }
  throw new Error('parsed');
};

describe('jsonErrorMessage', () => {
  it('keeps what is wrong and where, and drops the quoted text', () => {
    expect(failure('root:*:2020:0:99999:7:::')).toBe("Unexpected token 'r'");
    expect(failure('secret "quoted" text')).not.toContain('secret');
    // Past the first characters V8's excerpt starts with "..."
    expect(failure(`{"${'a'.repeat(44)}": secretpassword}`)).toBe("Unexpected token 's'");
    expect(failure('{"images": [1,2')).toBe("Expected ',' or ']' after array element in JSON at position 15");
    expect(failure('[1,2] x')).toBe('Unexpected non-whitespace character after JSON at position 6');
  });
});
