import { randomBytes } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { registerSecrets } from '../logger';
import { HttpError, sendError } from './http';
import { AZURE_DIRECT_LINE, DIRECT_LINE_PATH, TOKEN_PATH } from './paths';
import {
  registerLocalDirectLine,
  type LocalDirectLine,
  type LocalDirectLineOptions,
} from './localDirectLine';

export { AZURE_DIRECT_LINE, DIRECT_LINE_PATH, TOKEN_PATH } from './paths';
export { registerLocalDirectLine } from './localDirectLine';
export { registerWebChat, webChatBundlePath, type WebChatOptions } from './webChat';
export type { BotLogic, LocalDirectLine, LocalDirectLineOptions } from './localDirectLine';
export { defaultLimits, type DirectLineLimits } from './conversations';

/** What the page receives: enough for `createDirectLine({ domain, token, webSocket: false })`. */
export interface DirectLineToken {
  conversationId: string;
  token: string;
  expires_in: number;
  /** Direct Line's URL; relative (to the page) when this server offers Direct Line itself. */
  domain: string;
}

export interface DirectLineOptions extends LocalDirectLineOptions {
  /** DIRECT_LINE_SECRET: tokens then come from Azure's Direct Line, and the local subset is not served. */
  secret?: string;
  /** DIRECT_LINE_DOMAIN: Azure's Direct Line URL, e.g. a regional one. */
  azureDomain?: string;
  /** Injected in tests; Azure is never called there. */
  fetch?: typeof fetch;
  /**
   * MicrosoftAppId. The local Direct Line runs turns without a Bot Framework token, which an authenticated bot
   * refuses: with an app id and no secret, the page is told the chat is not configured (503) instead.
   */
  botAppId?: string;
}

export type DirectLineChannel =
  { mode: 'azure' } | { mode: 'local'; local: LocalDirectLine } | { mode: 'unavailable'; reason: string };

/**
 * Direct Line for the web chat page.
 * With a secret: POST /api/directline/token exchanges it with Azure for a short-lived token (the secret stays here).
 * Without: this server offers the Direct Line v3 subset itself, and the same endpoint issues its tokens.
 */
export function registerDirectLine(server: Server, options: DirectLineOptions): DirectLineChannel {
  if (options.secret) {
    registerSecrets(options.secret);
    const exchange = azureTokenExchange(
      options.secret,
      options.azureDomain ?? AZURE_DIRECT_LINE,
      options.fetch ?? fetch,
    );
    server.post(TOKEN_PATH, async (_req: Request, res: Response) => {
      try {
        res.json(await exchange());
      } catch (error) {
        options.log?.error({ err: error }, 'direct line token exchange failed');
        sendError(
          res,
          error instanceof HttpError ? error : new HttpError(502, 'DirectLineUnavailable', 'no token'),
        );
      }
    });
    return { mode: 'azure' };
  }

  if (options.botAppId) {
    const reason =
      'MicrosoftAppId is set but DIRECT_LINE_SECRET is not: the web chat needs the Azure Bot Direct Line secret';
    options.log?.warn(reason);
    server.post(TOKEN_PATH, async (_req: Request, res: Response) =>
      sendError(res, new HttpError(503, 'DirectLineNotConfigured', reason)),
    );
    return { mode: 'unavailable', reason };
  }

  const local = registerLocalDirectLine(server, options);
  server.post(TOKEN_PATH, async (req: Request, res: Response) => {
    try {
      const { conversation, token } = local.open(req);
      const body: DirectLineToken = {
        conversationId: conversation.id,
        token,
        expires_in: local.conversations.expiresIn(conversation),
        domain: DIRECT_LINE_PATH.slice(1),
      };
      res.json(body);
    } catch (error) {
      sendError(res, error instanceof HttpError ? error : new HttpError(500, 'ServiceError', 'no token'));
    }
  });
  return { mode: 'local', local };
}

/** Exchanges the secret for a token bound to a fresh user id that the browser cannot change. */
export function azureTokenExchange(
  secret: string,
  domain: string,
  fetchImpl: typeof fetch,
): () => Promise<DirectLineToken> {
  const base = domain.replace(/\/+$/, '');
  return async () => {
    const response = await fetchImpl(`${base}/tokens/generate`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      // "dl_" user ids are embedded in the token, so Direct Line refuses activities from any other id
      body: JSON.stringify({ user: { id: `dl_${randomBytes(12).toString('base64url')}` } }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new HttpError(502, 'DirectLineUnavailable', `Direct Line answered ${response.status}`);
    }
    const body = (await response.json()) as Partial<DirectLineToken>;
    if (typeof body.token !== 'string' || typeof body.conversationId !== 'string') {
      throw new HttpError(502, 'DirectLineUnavailable', 'Direct Line sent no token');
    }
    return {
      conversationId: body.conversationId,
      token: body.token,
      expires_in: typeof body.expires_in === 'number' ? body.expires_in : 1800,
      domain: base,
    };
  };
}
