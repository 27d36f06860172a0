import type { Text } from '../knowledge/schema';

/** What the hardening layer says to a partner; every string in Japanese and English. */
export const securityMessages = {
  /** A tenant outside ALLOWED_TENANT_IDS: refused without routing. */
  tenantNotAllowed: {
    ja: '申し訳ありません。このボットはご所属の組織（Azure AD テナント）ではご利用いただけません。ご不明な点は社内の管理者にお問い合わせください。',
    en: 'Sorry, this bot is not available to your organisation (Azure AD tenant). Please ask your administrator if you think this is a mistake.',
  },
  /** A second message arrived while the previous one of the same conversation is still being handled. */
  busy: {
    ja: '少々お待ちください。前のメッセージを処理しています。表示された質問にお答えください。',
    en: 'One moment, please: I am still handling your previous message. Please answer the question shown.',
  },
} satisfies Record<string, Text>;

export type SecurityMessageId = keyof typeof securityMessages;
