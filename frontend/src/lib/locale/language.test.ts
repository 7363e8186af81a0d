import { describe, expect, it } from 'vitest';
import { FALLBACK_LANGUAGE, isLanguageTag, repairNavigatorLanguage, usableLanguages } from './language';

describe('browser language repair', () => {
  it('tells tags from locale names Intl refuses', () => {
    expect(isLanguageTag('en-US')).toBe(true);
    expect(isLanguageTag('de')).toBe(true);
    expect(isLanguageTag('C')).toBe(false);
    expect(isLanguageTag('C.UTF-8')).toBe(false);
    expect(isLanguageTag('')).toBe(false);
    expect(isLanguageTag(undefined)).toBe(false);
  });

  it('keeps the valid languages in order and falls back when none is valid', () => {
    expect(usableLanguages('C', ['C', 'fr-FR', 'fr-FR', 'de'])).toEqual(['fr-FR', 'de']);
    expect(usableLanguages('C', ['C.UTF-8'])).toEqual([FALLBACK_LANGUAGE]);
  });

  it('repairs a navigator reporting "C" so Intl.NumberFormat(navigator.language) works', () => {
    // What WebKitGTK reports under LANG=C: the getter lives on the prototype, as in a browser.
    class FakeNavigator {
      get language(): string {
        return 'C';
      }
      get languages(): readonly string[] {
        return ['C'];
      }
    }
    const nav = new FakeNavigator();
    expect(() => new Intl.NumberFormat(nav.language)).toThrow(RangeError);
    expect(repairNavigatorLanguage(nav)).toBe('C');
    expect(nav.language).toBe(FALLBACK_LANGUAGE);
    expect(nav.languages).toEqual([FALLBACK_LANGUAGE]);
    expect(new Intl.NumberFormat(nav.language).format(1234)).toBe('1,234');
  });

  it('leaves a navigator with valid languages alone', () => {
    const nav = { language: 'de-DE', languages: ['de-DE', 'en'] };
    expect(repairNavigatorLanguage(nav)).toBeNull();
    expect(nav.language).toBe('de-DE');
  });
});
