import type { Middleware, TurnContext } from 'botbuilder';
import type { Next, Request, Response, Server } from 'restify';
import { securityMessages } from './messages/security';
import type { Logger } from './logger';

/**
 * The HTTP-side defences of /api/messages. Authentication itself is CloudAdapter's job (it answers 401 to a
 * missing or forged Bot Framework token whenever MicrosoftAppId is set); this module covers what it does not:
 * where we listen, how big and what kind of body we read, whom we call back, and which tenants we serve.
 */

/** Bot Framework caps an activity at 256 KB; anything bigger is not a real channel message. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** Hosts Azure Bot Service calls back from (public cloud). Only trusted when configured, see serviceUrlAllowed. */
export const BOT_FRAMEWORK_SERVICE_HOSTS = [
  '*.botframework.com',
  'smba.trafficmanager.net',
  '*.trafficmanager.net',
];

export interface SecurityOptions {
  /** MicrosoftAppId; when set, CloudAdapter authenticates every request and serviceUrl comes from a signed token. */
  appId?: string;
  /** Largest request body accepted on /api/messages, in bytes. */
  maxBodyBytes?: number;
  /**
   * Extra serviceUrl hosts trusted without authentication, besides loopback ("*.example.com" matches subdomains).
   * The word "botframework" stands for BOT_FRAMEWORK_SERVICE_HOSTS.
   */
  allowedServiceHosts?: readonly string[];
  /** Azure AD tenant ids served; empty or absent means every tenant. */
  allowedTenantIds?: readonly string[];
}

/** Reads the security settings from environment variables (names documented in .env.example). */
export function securityOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SecurityOptions {
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const maxBodyBytes = Number(env.MAX_BODY_BYTES);
  return {
    appId: env.MicrosoftAppId?.trim() || undefined,
    maxBodyBytes: Number.isInteger(maxBodyBytes) && maxBodyBytes > 0 ? maxBodyBytes : DEFAULT_MAX_BODY_BYTES,
    allowedServiceHosts: list(env.ALLOWED_SERVICE_HOSTS),
    allowedTenantIds: list(env.ALLOWED_TENANT_IDS),
  };
}

/**
 * The interface to listen on. Without an app id nothing is authenticated, so by default only this machine may
 * talk to the bot; HOST overrides (e.g. "0.0.0.0" in a container that fronts its own auth). With an app id every
 * request is authenticated and the bot listens on all interfaces, as App Service expects.
 */
export function listenHost(options: Pick<SecurityOptions, 'appId'>, host = process.env.HOST): string {
  if (host?.trim()) return host.trim();
  return options.appId ? '0.0.0.0' : '127.0.0.1';
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function hostMatches(hostname: string, pattern: string): boolean {
  const host = hostname.toLowerCase();
  const rule = pattern.toLowerCase();
  if (rule.startsWith('*.')) return host.endsWith(rule.slice(1)) && host.length > rule.length - 1;
  return host === rule;
}

/**
 * Whether the bot may call this serviceUrl back when requests are not authenticated: loopback always, other hosts
 * only when listed. Without this, anyone who can reach an unauthenticated bot can make it POST to any URL.
 */
export function serviceUrlAllowed(serviceUrl: unknown, allowedHosts: readonly string[] = []): boolean {
  if (typeof serviceUrl !== 'string') return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  if (isLoopback(url.hostname)) return true;
  const patterns = allowedHosts.flatMap((host) =>
    host === 'botframework' ? BOT_FRAMEWORK_SERVICE_HOSTS : [host],
  );
  // a remote host gets our replies only over TLS
  return url.protocol === 'https:' && patterns.some((pattern) => hostMatches(url.hostname, pattern));
}

function refuse(res: Response, next: Next, status: number, message: string): void {
  res.setHeader('Connection', 'close');
  res.send(status, { error: message });
  next(false);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Guards for the messaging endpoint, registered on the server before it listens (startServer's `extend`):
 * - before the body is read: 415 unless the content type is JSON, 413 when Content-Length exceeds the limit
 *   (a chunked body is capped by bodyParser's maxBodySize, which startServer sets to the same limit);
 * - with an app id: 401 at once for a request with no bearer token (CloudAdapter then checks the token itself);
 * - without an app id: 403 for a serviceUrl that is not trusted, so an unauthenticated bot never sends replies to a
 *   host the caller chose.
 * Other routes (Direct Line, the web page, /healthz) are left alone.
 */
export function protectMessagesEndpoint(
  server: Server,
  options: SecurityOptions = {},
  log?: Logger,
  path = '/api/messages',
): void {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const isMessages = (req: Request) => req.method === 'POST' && req.getPath() === path;

  server.pre((req: Request, res: Response, next: Next) => {
    if (!isMessages(req)) return next();
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return refuse(res, next, 415, 'Content-Type must be application/json');
    if (req.getContentLength() > maxBodyBytes) {
      return refuse(res, next, 413, `Request body is larger than ${maxBodyBytes} bytes`);
    }
    return next();
  });

  server.use((req: Request, res: Response, next: Next) => {
    if (!isMessages(req)) return next();
    if (options.appId) {
      const authorization = req.headers.authorization ?? '';
      return /^Bearer\s+\S/i.test(authorization) ? next() : refuse(res, next, 401, 'Unauthorized');
    }
    // a body that is not an activity is refused by the endpoint itself (400)
    if (!isRecord(req.body)) return next();
    const serviceUrl = req.body.serviceUrl;
    if (serviceUrlAllowed(serviceUrl, options.allowedServiceHosts)) return next();
    log?.warn(
      { event: 'serviceUrlRefused', serviceUrl: String(serviceUrl).slice(0, 200) },
      'serviceUrl not allowed',
    );
    return refuse(res, next, 403, 'serviceUrl is not allowed for an unauthenticated bot');
  });
}

/** The tenant an activity comes from: Teams puts it in channelData, other channels in the conversation. */
export function tenantOf(activity: TurnContext['activity']): string | undefined {
  const channelData: unknown = activity.channelData;
  const fromChannelData =
    typeof channelData === 'object' && channelData !== null
      ? (channelData as { tenant?: { id?: unknown } }).tenant?.id
      : undefined;
  const tenant = typeof fromChannelData === 'string' ? fromChannelData : activity.conversation?.tenantId;
  return typeof tenant === 'string' && tenant.trim() ? tenant.trim().toLowerCase() : undefined;
}

/** The user's language as the channel reports it; the bot's own choice (if the user switched) can be injected. */
export function localeLang(context: TurnContext): 'ja' | 'en' {
  const locale = context.activity.locale;
  return typeof locale === 'string' && locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/**
 * Adapter middleware: when ALLOWED_TENANT_IDS is set, activities from any other tenant (or none) get a polite
 * refusal and never reach the bot, so no state is created and nothing is routed. Tenant ids are only trustworthy
 * with authentication on (MicrosoftAppId), since Teams signs what it sends.
 */
export class TenantGate implements Middleware {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    allowedTenantIds: readonly string[] = [],
    private readonly log?: Logger,
    private readonly langOf: (context: TurnContext) => 'ja' | 'en' = localeLang,
  ) {
    this.allowed = new Set(allowedTenantIds.map((id) => id.trim().toLowerCase()).filter(Boolean));
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (this.allowed.size === 0) return next();
    const tenant = tenantOf(context.activity);
    if (tenant && this.allowed.has(tenant)) return next();
    this.log?.warn(
      { event: 'tenantRefused', tenant, conversationId: context.activity.conversation?.id },
      'activity from a tenant that is not allowed',
    );
    if (context.activity.type === 'message') {
      await context.sendActivity(securityMessages.tenantNotAllowed[this.langOf(context)]);
    }
  }
}
