/** The UI languages Pacer ships and the Intl locale each formats numbers and dates with. */
export const LANGUAGES = ['en', 'nb'] as const;
export type Language = (typeof LANGUAGES)[number];

const INTL_LOCALES: Record<Language, string> = { en: 'en-US', nb: 'nb-NO' };

export function intlLocale(language: string): string {
  return (INTL_LOCALES as Record<string, string>)[language] ?? INTL_LOCALES.en;
}

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}
