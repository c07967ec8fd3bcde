import { describe, expect, it } from 'vitest';
import { cjkBigramsOf, parseSearchText } from './customers.search.text.js';

describe('what a search text means', () => {
  it('splits CJK runs into the bigrams the database indexes', () => {
    expect(cjkBigramsOf('张伟明')).toEqual(['张伟', '伟明']);
    expect(cjkBigramsOf('王 小明 Ltd')).toEqual(['小明']);
    expect(cjkBigramsOf('Ada Lovelace')).toEqual([]);
    expect(parseSearchText('伟').cjkBigrams).toBeNull();
  });

  it('reads an email as an email and its work domain', () => {
    expect(parseSearchText(' Ada@Globex.Example.ORG ')).toMatchObject({ email: 'ada@globex.example.org', domain: 'globex.example.org' });
    expect(parseSearchText('someone@gmail.com')).toMatchObject({ email: 'someone@gmail.com', domain: null });
  });

  it('reads a website or bare domain as a domain', () => {
    expect(parseSearchText('https://www.globex.example.org/about').domain).toBe('globex.example.org');
    expect(parseSearchText('globex.example.org').domain).toBe('globex.example.org');
    expect(parseSearchText('Globex Corporation').domain).toBeNull();
  });

  it('reads phone numbers in any format as E.164 candidates', () => {
    expect(parseSearchText('+44 (20) 7946-0958').phones).toEqual(['+442079460958']);
    expect(parseSearchText('Ada').phones).toEqual([]);
  });

  it('turns words into a prefix query that cannot break to_tsquery', () => {
    expect(parseSearchText("chief ana'lyst & | !").words).toBe("'chief':* & 'ana':* & 'lyst':*");
    expect(parseSearchText('!!!').words).toBeNull();
  });

  it('takes the user’s % and _ literally in substring patterns, and needs 3 characters for trigrams', () => {
    expect(parseSearchText('50%_off').pattern).toBe('%50\\%\\_off%');
    expect(parseSearchText('ab').isTrigramUsable).toBe(false);
    expect(parseSearchText('abc').isTrigramUsable).toBe(true);
  });
});
