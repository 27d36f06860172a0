/* global window, document, navigator, location, localStorage, sessionStorage, fetch, URL, URLSearchParams */
// The web chat page: picks Japanese or English, asks this server for a Direct Line token, and starts Web Chat.
(() => {
  'use strict';

  const config = JSON.parse(document.getElementById('chat-config').textContent);
  const LOCALES = { ja: 'ja-JP', en: 'en-US' };
  const STORED_LANGUAGE = 'partner-support-router.lang';
  // The tab's conversation (token and conversation id): a reload reconnects to it instead of starting over.
  // No watermark is kept: Web Chat holds the transcript in memory only, so after a reload it must read the
  // conversation from its start (the Direct Line keeps its history) to draw the earlier messages again.
  const STORED_CONVERSATION = 'partner-support-router.conversation';

  const readConversation = () => {
    try {
      return JSON.parse(sessionStorage.getItem(STORED_CONVERSATION) || 'null');
    } catch {
      return null; // blocked storage or a damaged entry: start a new conversation
    }
  };
  const keepConversation = (value) => {
    try {
      if (value) sessionStorage.setItem(STORED_CONVERSATION, JSON.stringify(value));
      else sessionStorage.removeItem(STORED_CONVERSATION);
    } catch {
      // storage can be blocked inside an iframe: a reload then starts a new conversation
    }
  };

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
    keepConversation(null);
    try {
      localStorage.setItem(STORED_LANGUAGE, lang);
    } catch {
      // the URL below carries the choice anyway
    }
    const params = new URLSearchParams(location.search);
    params.set('lang', lang);
    location.search = params.toString();
  };

  const domainUrl = (domain) => new URL(domain, location.href).href.replace(/\/+$/, '');

  // The kept conversation, if the server still knows it (it may have restarted, or the token expired).
  const resumable = async (lang) => {
    const kept = readConversation();
    if (!kept || kept.lang !== lang || !kept.token || !kept.conversationId) return null;
    const response = await fetch(
      `${domainUrl(kept.domain)}/conversations/${encodeURIComponent(kept.conversationId)}`,
      {
        headers: { Authorization: `Bearer ${kept.token}` },
      },
    ).catch(() => null);
    if (response && response.ok) return kept;
    keepConversation(null);
    return null;
  };

  const narrow = window.innerWidth < 420;

  const startChat = async (lang) => {
    let session = await resumable(lang);
    if (!session) {
      const response = await fetch(new URL(config.tokenUrl, location.href), { method: 'POST' });
      if (!response.ok) throw new Error(`no Direct Line token (${response.status})`);
      const { token, domain } = await response.json();
      session = { lang, token, domain };
    }
    const directLine = window.WebChat.createDirectLine({
      domain: domainUrl(session.domain),
      token: session.token,
      // A kept conversation is reconnected from its start (no watermark), so Web Chat draws the transcript again.
      conversationId: session.conversationId,
      webSocket: false,
      pollingInterval: config.pollingIntervalMs,
      conversationStartProperties: { locale: LOCALES[lang] },
    });
    directLine.activity$.subscribe(() => {
      keepConversation({
        lang,
        domain: session.domain,
        token: directLine.token,
        conversationId: directLine.conversationId,
      });
    });
    window.WebChat.renderWebChat(
      {
        directLine,
        locale: LOCALES[lang],
        styleOptions: {
          accent: '#0f4c81',
          // On a phone or a zoomed embed the avatar column and Web Chat's 250 px minimum bubble would push the
          // cards past the right edge.
          ...(narrow
            ? { bubbleMinWidth: 0 }
            : { botAvatarImage: new URL(config.botAvatarUrl, location.href).href, botAvatarInitials: 'PS' }),
          hideUploadButton: true,
          // New messages scroll into view only until they fill the transcript: a long card opens at its top.
          autoScrollSnapOnPage: true,
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
