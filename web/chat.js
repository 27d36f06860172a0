/* global window, document, navigator, location, localStorage, fetch, URL, URLSearchParams */
// The web chat page: picks Japanese or English, asks this server for a Direct Line token, and starts Web Chat.
(() => {
  'use strict';

  const config = JSON.parse(document.getElementById('chat-config').textContent);
  const LOCALES = { ja: 'ja-JP', en: 'en-US' };
  const STORED_LANGUAGE = 'partner-support-router.lang';

  // ?lang= (an embedding site's choice) first, then the visitor's own switch, then the browser's languages.
  const pickLanguage = () => {
    const asked = new URLSearchParams(location.search).get('lang');
    if (asked) return /^ja\b/i.test(asked) ? 'ja' : 'en';
    try {
      const stored = localStorage.getItem(STORED_LANGUAGE);
      if (stored === 'ja' || stored === 'en') return stored;
    } catch {
      // storage can be blocked inside an iframe; the browser's languages still decide
    }
    const preferred =
      navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    for (const tag of preferred) {
      if (/^ja\b/i.test(tag || '')) return 'ja';
      if (/^en\b/i.test(tag || '')) return 'en';
    }
    return 'en';
  };

  const showTexts = (lang) => {
    const strings = config.strings[lang];
    document.documentElement.lang = lang;
    document.title = strings.pageTitle;
    for (const element of document.querySelectorAll('[data-text]')) {
      element.textContent = strings[element.dataset.text];
    }
    for (const element of document.querySelectorAll('[data-label]')) {
      element.setAttribute('aria-label', strings[element.dataset.label]);
    }
    for (const button of document.querySelectorAll('button[data-lang]')) {
      button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
    }
  };

  // Switching language starts a new conversation, so the bot greets and answers in the new language.
  const switchTo = (lang) => {
    try {
      localStorage.setItem(STORED_LANGUAGE, lang);
    } catch {
      // the URL below carries the choice anyway
    }
    const params = new URLSearchParams(location.search);
    params.set('lang', lang);
    location.search = params.toString();
  };

  const startChat = async (lang) => {
    const response = await fetch(new URL(config.tokenUrl, location.href), { method: 'POST' });
    if (!response.ok) throw new Error(`no Direct Line token (${response.status})`);
    const { token, domain } = await response.json();
    const directLine = window.WebChat.createDirectLine({
      domain: new URL(domain, location.href).href.replace(/\/+$/, ''),
      token,
      webSocket: false,
      pollingInterval: config.pollingIntervalMs,
      conversationStartProperties: { locale: LOCALES[lang] },
    });
    window.WebChat.renderWebChat(
      {
        directLine,
        locale: LOCALES[lang],
        styleOptions: {
          accent: '#0f4c81',
          botAvatarImage: new URL(config.botAvatarUrl, location.href).href,
          botAvatarInitials: 'PS',
          hideUploadButton: true,
        },
      },
      document.getElementById('webchat'),
    );
  };

  const lang = pickLanguage();
  showTexts(lang);
  for (const button of document.querySelectorAll('button[data-lang]')) {
    button.addEventListener('click', () => {
      if (button.dataset.lang !== lang) switchTo(button.dataset.lang);
    });
  }
  startChat(lang).catch(() => {
    document.querySelector('.error').hidden = false;
  });
})();
