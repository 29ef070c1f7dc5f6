import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isLanguage } from '../format/locale';
import { en } from './en';
import { nb } from './nb';

const STORAGE_KEY = 'pacer.language';

/** The reader's language: their last choice, else the browser's if Pacer ships it, else English. */
function initialLanguage(): string {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (stored && isLanguage(stored)) return stored;
  for (const lang of typeof navigator !== 'undefined' ? navigator.languages : []) {
    const base = lang.toLowerCase().split('-')[0] ?? '';
    if (base === 'nb' || base === 'no' || base === 'nn') return 'nb';
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function initI18n(): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, nb: { translation: nb } },
    lng: initialLanguage(),
    fallbackLng: 'en',
    supportedLngs: ['en', 'nb'],
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  i18n.on('languageChanged', (lng) => {
    localStorage.setItem(STORAGE_KEY, lng);
    document.documentElement.lang = lng;
  });
  document.documentElement.lang = i18n.language;
  return i18n;
}
