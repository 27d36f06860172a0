import type { Lang, Text } from '../knowledge/schema';

/** What the web chat page says around the chat itself; Web Chat localizes its own controls from the locale. */
export const webChatMessages = {
  botName: {
    ja: 'パートナー サポート窓口ナビ',
    en: 'Partner Support Router',
  },
  pageTitle: {
    ja: 'パートナー サポート窓口ナビ - テクニカル サポートの依頼先と手順',
    en: 'Partner Support Router - where and how to file a technical support request',
  },
  intro: {
    ja: 'Microsoft パートナー向けに、テクニカル サポートの依頼先と手順をご案内します。製品とパートナー プログラムを選ぶと、使うポータル、サポート プラン、必要な ID、重大度の目安をカードでお示しします。',
    en: 'For Microsoft partners: find out where and how to file a technical support request. Pick your product and partner program, and a card shows the portal to use, the support plan, the IDs you need and how to choose the severity.',
  },
  privacyNote: {
    ja: 'パスワードやお客様の個人情報は入力しないでください。',
    en: 'Please do not enter passwords or your customers’ personal data.',
  },
  languageLabel: {
    ja: '表示言語',
    en: 'Language',
  },
  chatLabel: {
    ja: 'チャット',
    en: 'Chat',
  },
  connectFailed: {
    ja: 'チャットを開始できませんでした。しばらくしてからページを再読み込みしてください。',
    en: 'The chat could not start. Please reload the page in a moment.',
  },
} satisfies Record<string, Text>;

export type WebChatMessageId = keyof typeof webChatMessages;

/** The page's strings in one language, as the page script receives them. */
export function webChatStrings(lang: Lang): Record<WebChatMessageId, string> {
  const entries = Object.entries(webChatMessages).map(([id, text]) => [id, text[lang]]);
  return Object.fromEntries(entries) as Record<WebChatMessageId, string>;
}
