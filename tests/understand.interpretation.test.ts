import { describe, expect, it } from 'vitest';
import { getKnowledge } from '../src/knowledge/load';
import { interpret } from '../src/understand';

const knowledge = getKnowledge();

describe('interpret: one message, understood once', () => {
  it('gives the answers a partner typed, with the language they wrote in', () => {
    const result = interpret('Intune issue for my CSP customer', { lang: 'ja' }, knowledge);
    expect(result.language).toBe('en');
    expect(result.intent).toEqual({ kind: 'none' });
    expect(result.answers).toMatchObject({ product: 'intune', program: 'cspDirect' });
  });

  it('reads Japanese text as Japanese, whatever the conversation language', () => {
    expect(interpret('日本語でお願いします。Azure の件です', { lang: 'en' }, knowledge).language).toBe('ja');
  });

  it('leaves the language open for a bare id or product name', () => {
    expect(interpret('2904733', { lang: 'en' }, knowledge).language).toBeUndefined();
    expect(interpret('Azure', { lang: 'en' }, knowledge).language).toBeUndefined();
  });

  it('takes a short answer word only for the question on screen', () => {
    expect(interpret('none', { lang: 'en', asking: 'purchasedPlan' }, knowledge).answers).toEqual({
      purchasedPlan: 'none',
    });
    expect(interpret('none', { lang: 'en' }, knowledge).answers).toEqual({});
  });
});
