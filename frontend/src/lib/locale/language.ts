// A browser whose language is not a BCP 47 tag (WebKitGTK under LANG=C reports "C") makes
// `new Intl.NumberFormat(navigator.language)` throw RangeError; uPlot does that when its module
// loads, so the page died before it rendered. The page repairs navigator itself (the app's
// locale.go only covers the app window; the page also meets plain browsers).

/** The tag used when the browser offers none that Intl accepts (what Chromium maps C to). */
export const FALLBACK_LANGUAGE = 'en-US';

/** Whether Intl accepts tag as a language tag. */
export function isLanguageTag(tag: unknown): tag is string {
  if (typeof tag !== 'string' || tag === '') return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** The languages Intl accepts, in the browser's order; the fallback when none is valid. */
export function usableLanguages(language: unknown, languages: readonly unknown[] | undefined): string[] {
  const valid = [language, ...(languages ?? [])].filter(isLanguageTag);
  const unique = [...new Set(valid)];
  return unique.length > 0 ? unique : [FALLBACK_LANGUAGE];
}

/**
 * Gives nav valid language and languages when they are not (own properties shadowing the
 * getters of Navigator.prototype). Returns the language before the repair when it repaired,
 * null when nothing needed repair.
 */
export function repairNavigatorLanguage(nav: { language: string; languages: readonly string[] }): string | null {
  if (isLanguageTag(nav.language) && nav.languages.every(isLanguageTag)) return null;
  const before = nav.language;
  const usable = usableLanguages(nav.language, nav.languages);
  Object.defineProperty(nav, 'language', { value: usable[0], configurable: true });
  Object.defineProperty(nav, 'languages', { value: Object.freeze([...usable]), configurable: true });
  return before;
}
