import { scrubSecrets, type Logger } from '../logger';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the support desk receives when a partner asks for a person and agrees to send it. */
export interface HandoffSummary {
  conversationId: string;
  channelId?: string;
  lang: 'ja' | 'en';
  /** The answers so far, as the partner saw them ("Product family" → "Azure"). */
  answers: { question: string; answer: string }[];
  /** The route or not-covered id, when the case reached a card. */
  routeId?: string;
  /** The partner's last few messages, shown to them before they agreed. */
  lastMessages: string[];
}

const TITLES = {
  ja: {
    title: 'パートナー サポート: 担当者への引き継ぎ',
    route: 'ルート',
    messages: '直近のメッセージ',
    none: '(なし)',
  },
  en: {
    title: 'Partner support: hand-off to a person',
    route: 'Route',
    messages: 'Last messages',
    none: '(none)',
  },
};

/**
 * The message a Teams Workflows or incoming-webhook URL accepts: one Adaptive Card (1.4, which both render).
 * No token, secret or webhook address is ever in it: the partner's messages are scrubbed like log lines.
 */
export function handoffPayload(summary: HandoffSummary): Record<string, unknown> {
  const t = TITLES[summary.lang];
  const facts = summary.answers.map(({ question, answer }) => ({ title: question, value: answer }));
  if (summary.routeId) facts.push({ title: t.route, value: summary.routeId });
  const messages = summary.lastMessages.slice(-5).map((text) => scrubSecrets(text).slice(0, 500));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: t.title, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'FactSet', facts },
            { type: 'TextBlock', text: t.messages, weight: 'Bolder', wrap: true },
            ...(messages.length
              ? messages.map((text) => ({ type: 'TextBlock', text, wrap: true, isSubtle: true }))
              : [{ type: 'TextBlock', text: t.none, wrap: true, isSubtle: true }]),
          ],
        },
      },
    ],
  };
}

export interface WebhookOptions {
  url: string;
  log: Logger;
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Wait before the 2nd attempt; doubled each time after. A 429's Retry-After wins when longer. */
  backoffMs?: number;
  /** Per attempt. */
  timeoutMs?: number;
}

/** Three tries within about 18 s (5 s each, 1 s then 2 s apart): the partner waits for the answer in the same turn. */
const RETRIES = { attempts: 3, backoffMs: 1000, timeoutMs: 5000 };

export type Delivery =
  { delivered: true; attempts: number } | { delivered: false; attempts: number; reason: string };

/**
 * Posts hand-off summaries to the support desk's webhook. Idempotent per key (e.g. the activity id of the turn
 * the partner said yes in): a retried turn gets the first delivery's outcome and never posts twice (in this
 * process; the key also goes out as the Idempotency-Key header). Network errors, 5xx and 429 are retried with
 * exponential back-off; other 4xx are not (the URL or the payload is wrong: retrying cannot help).
 */
export class HandoffWebhook {
  private readonly deliveries = new Map<string, Promise<Delivery>>();

  constructor(private readonly options: WebhookOptions) {}

  deliver(key: string, summary: HandoffSummary): Promise<Delivery> {
    let delivery = this.deliveries.get(key);
    if (!delivery) {
      delivery = this.post(key, summary);
      this.deliveries.set(key, delivery);
      // keep the last 1,000 keys: enough for retried turns, bounded memory
      if (this.deliveries.size > 1000) this.deliveries.delete(this.deliveries.keys().next().value!);
      // a failed delivery may be asked for again (the partner says yes once more)
      void delivery.then((result) => {
        if (!result.delivered) this.deliveries.delete(key);
      });
    }
    return delivery;
  }

  private async post(key: string, summary: HandoffSummary): Promise<Delivery> {
    const {
      url,
      log,
      attempts = RETRIES.attempts,
      backoffMs = RETRIES.backoffMs,
      timeoutMs = RETRIES.timeoutMs,
    } = this.options;
    const body = JSON.stringify(handoffPayload(summary));
    const host = new URL(url).host; // never the path or query: they carry the webhook's signature
    let reason = '';
    let made = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let retryAfterMs = 0;
      made = attempt;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (response.ok) {
          log.info(
            { event: 'handoffDelivered', conversationId: summary.conversationId, host, attempt },
            'hand-off delivered',
          );
          return { delivered: true, attempts: attempt };
        }
        reason = `HTTP ${response.status}`;
        if (response.status !== 429 && response.status < 500) break;
        retryAfterMs = Number(response.headers.get('retry-after') ?? 0) * 1000;
      } catch (error) {
        reason = error instanceof Error ? error.name : 'error';
      }
      log.warn(
        { event: 'handoffRetry', conversationId: summary.conversationId, host, attempt, reason },
        'hand-off failed',
      );
      if (attempt < attempts) await sleep(Math.max(backoffMs * 2 ** (attempt - 1), retryAfterMs || 0));
    }
    log.error(
      { event: 'handoffFailed', conversationId: summary.conversationId, host, reason },
      'hand-off not delivered',
    );
    return { delivered: false, attempts: made, reason };
  }
}
