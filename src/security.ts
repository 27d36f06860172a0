import { ConfigurationBotFrameworkAuthentication, type Middleware, type TurnContext } from 'botbuilder';
import { languageFromLocale } from './understand/locale';
import {
  AuthenticationConstants,
  AuthenticationError,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { z } from 'zod';
import { ConfigError } from './config';
import type { Next, Request, Response, Server } from 'restify';
import { securityMessages } from './messages/security';
import type { Lang } from './knowledge/schema';
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

const commaList = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((entry) => entry.trim())
            .filter(Boolean)
        : [],
    z.array(item),
  );

const SecurityEnvironment = z.object({
  MicrosoftAppId: z.preprocess((value) => (value === '' ? undefined : value), z.string().trim().optional()),
  MAX_BODY_BYTES: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(10 * 1024 * 1024)
      .default(DEFAULT_MAX_BODY_BYTES),
  ),
  ALLOWED_SERVICE_HOSTS: commaList(
    z
      .string()
      .regex(/^(botframework|(\*\.)?[a-z0-9.-]+)$/i, 'must be a host name, *.domain or "botframework"'),
  ),
  ALLOWED_TENANT_IDS: commaList(z.guid('must be an Azure AD tenant id (a GUID)')),
});

/** Reads and checks the security settings (names documented in .env.example); throws ConfigError naming each bad one. */
export function securityOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): SecurityOptions {
  const parsed = SecurityEnvironment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`Invalid security configuration (see .env.example): ${problems}`);
  }
  const { MicrosoftAppId, MAX_BODY_BYTES, ALLOWED_SERVICE_HOSTS, ALLOWED_TENANT_IDS } = parsed.data;
  return {
    appId: MicrosoftAppId || undefined,
    maxBodyBytes: MAX_BODY_BYTES,
    allowedServiceHosts: ALLOWED_SERVICE_HOSTS,
    allowedTenantIds: ALLOWED_TENANT_IDS,
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

const UNTRUSTED_SERVICE_URL =
  'serviceUrl is not allowed for an unauthenticated bot: loopback only, unless ALLOWED_SERVICE_HOSTS lists it ' +
  '(e.g. ALLOWED_SERVICE_HOSTS=botframework for activities shaped like Teams or Web Chat)';

function refuse(res: Response, next: Next, status: number, message: string): void {
  res.setHeader('Connection', 'close');
  res.send(status, { error: message });
  next(false);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isAccount = (value: unknown) => isRecord(value) && typeof value.id === 'string';

/** Real activities nest a few levels (a card inside an attachment); thousands overflow the stack when state is saved. */
export const MAX_JSON_DEPTH = 64;

/** How deeply a parsed JSON value nests, counted without recursion, stopping once past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** A mention the SDK can strip from the text: it reads `text` and `mentioned.id` without checking. */
const isEntity = (value: unknown) =>
  isRecord(value) &&
  typeof value.type === 'string' &&
  (value.type !== 'mention' || (typeof value.text === 'string' && isAccount(value.mentioned)));

/**
 * Fields the SDK dereferences without checking (mentions, reply ids, member lists): a wrong type there would
 * fail the turn deep inside botbuilder. The endpoint itself checks type, channel, conversation and sender.
 */
export function activityProblem(activity: Record<string, unknown>): string | undefined {
  if (nestingDepth(activity, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return `nested more than ${MAX_JSON_DEPTH} levels deep`;
  }
  for (const field of ['id', 'replyToId', 'serviceUrl'] as const) {
    if (activity[field] !== undefined && typeof activity[field] !== 'string')
      return `${field} must be a string`;
  }
  const lists: [string, (item: unknown) => boolean][] = [
    ['entities', isEntity],
    ['attachments', (item) => isRecord(item) && typeof item.contentType === 'string'],
    ['membersAdded', isAccount],
    ['membersRemoved', isAccount],
  ];
  for (const [field, valid] of lists) {
    const list = activity[field];
    if (list !== undefined && !(Array.isArray(list) && list.every(valid))) return `${field} is malformed`;
  }
  const mentions =
    Array.isArray(activity.entities) && activity.entities.some((entity) => entity.type === 'mention');
  // a mention marks a span of the text; the SDK strips it from `text` without checking there is one
  if (mentions && typeof activity.text !== 'string') return 'a mention needs the text it is part of';
  if (activity.channelData !== undefined && !isRecord(activity.channelData))
    return 'channelData must be an object';
  if (activity.type === 'invoke') {
    // ActivityHandler reads invoke values without checking (value.action.type, value.kind = …)
    const { value } = activity;
    if (value !== undefined && !isRecord(value)) return 'an invoke value must be an object';
    if (activity.name === 'adaptiveCard/action' && !(isRecord(value) && isRecord(value.action))) {
      return 'an adaptiveCard/action invoke needs value.action';
    }
  }
  return undefined;
}

/**
 * CloudAdapter answers a failure it cannot handle (the OpenID metadata unreachable, a bug past onTurnError) with
 * 500 and the error's message as the body; the caller gets a plain sentence instead and the details go to the log.
 */
function hideServerErrors(res: Response, log?: Logger): void {
  const send = res.send.bind(res) as (...args: unknown[]) => unknown;
  const replacement = (...args: unknown[]) => {
    const status = typeof args[0] === 'number' ? args[0] : res.statusCode;
    if (status < 500) return send(...args);
    const detail = typeof args[0] === 'number' ? args[1] : args[0];
    log?.error({ event: 'serverError', status, detail: String(detail).slice(0, 500) }, 'request failed');
    return send(status, { error: 'The bot could not handle this request. Please try again later.' });
  };
  res.send = replacement as Response['send'];
}

/**
 * Guards for the messaging endpoint, registered on the server before it listens (startServer's `extend`):
 * - before the body is read: 415 unless the content type is JSON, 413 when Content-Length exceeds the limit
 *   (a chunked body is capped by bodyParser's maxBodySize, which startServer sets to the same limit);
 * - with an app id: 401 at once for a request with no bearer token (CloudAdapter then checks the token itself);
 * - 400 for fields of the wrong type that botbuilder would trip over (see activityProblem);
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
    hideServerErrors(res, log);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return refuse(res, next, 415, 'Content-Type must be application/json');
    if (req.getContentLength() > maxBodyBytes) {
      return refuse(res, next, 413, `Request body is larger than ${maxBodyBytes} bytes`);
    }
    return next();
  });

  server.use((req: Request, res: Response, next: Next) => {
    if (!isMessages(req)) return next();
    if (options.appId && !/^Bearer\s+\S/i.test(req.headers.authorization ?? '')) {
      return refuse(res, next, 401, 'Unauthorized');
    }
    // a body that is not an activity is refused by the endpoint itself (400)
    if (!isRecord(req.body)) return next();
    const problem = activityProblem(req.body);
    if (problem) return refuse(res, next, 400, `Not a Bot Framework activity (${problem}).`);
    if (options.appId) return next();
    const serviceUrl = req.body.serviceUrl;
    if (serviceUrlAllowed(serviceUrl, options.allowedServiceHosts)) return next();
    log?.warn(
      { event: 'serviceUrlRefused', serviceUrl: String(serviceUrl).slice(0, 200) },
      'serviceUrl not allowed',
    );
    return refuse(res, next, 403, UNTRUSTED_SERVICE_URL);
  });
}

/** jsonwebtoken's verdicts on a token that is not genuine: bad signature, malformed, expired, not yet valid. */
const REJECTED_TOKEN = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * Bot Framework authentication from the Azure Bot settings, answering 401 to every token that is not genuine.
 * The SDK rethrows jsonwebtoken's "invalid signature" as is, which CloudAdapter turns into a 500 (the channel
 * would retry a forged request); here it becomes the AuthenticationError CloudAdapter answers 401 to.
 */
export function botFrameworkAuthentication(
  settings: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
): ConfigurationBotFrameworkAuthentication {
  const auth = new ConfigurationBotFrameworkAuthentication(settings);
  const rejectForged = (error: unknown): never => {
    if (error instanceof Error && REJECTED_TOKEN.has(error.name)) {
      throw new AuthenticationError(`Unauthorized: ${error.message}`, 401);
    }
    throw error;
  };
  const clients = new ConnectorClientCache();
  const withCachedClients = (result: AuthenticateRequestResult): AuthenticateRequestResult =>
    result.connectorFactory
      ? { ...result, connectorFactory: clients.factory(result.claimsIdentity, result.connectorFactory) }
      : result;
  const authenticateRequest = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = (activity, authHeader) =>
    authenticateRequest(activity, authHeader).then(withCachedClients, rejectForged);
  const authenticateStreamingRequest = auth.authenticateStreamingRequest.bind(auth);
  auth.authenticateStreamingRequest = (authHeader, channelIdHeader) =>
    authenticateStreamingRequest(authHeader, channelIdHeader).then(withCachedClients, rejectForged);
  const createConnectorFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claimsIdentity) =>
    clients.factory(claimsIdentity, createConnectorFactory(claimsIdentity));
  const createUserTokenClient = auth.createUserTokenClient.bind(auth);
  auth.createUserTokenClient = (claimsIdentity) =>
    clients.userTokenClient(claimsIdentity, () => createUserTokenClient(claimsIdentity));
  return auth;
}

/** Distinct service URLs, audiences and app ids kept; a bot talks to a handful, so this only bounds abuse. */
const MAX_CACHED_CLIENTS = 64;

/** The bot's app id a request was addressed to, as botbuilder picks it for the outbound credentials. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/**
 * CloudAdapter builds a new ConnectorClient (credentials + HTTP pipeline) and UserTokenClient on every turn, even
 * for expectReplies; that was ~6% of a turn's CPU. Clients are reusable, so we keep one per app id, serviceUrl and
 * audience (the .NET SDK caches them the same way); credentials refresh their own tokens.
 */
class ConnectorClientCache {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokens = new Map<string, Promise<UserTokenClient>>();

  factory(claimsIdentity: ClaimsIdentity, inner: ConnectorFactory): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    return {
      create: (serviceUrl: string, audience?: string) =>
        remember(this.connectors, `${appId}|${serviceUrl}|${audience ?? ''}`, () =>
          inner.create(serviceUrl, audience),
        ),
    };
  }

  userTokenClient(
    claimsIdentity: ClaimsIdentity,
    create: () => Promise<UserTokenClient>,
  ): Promise<UserTokenClient> {
    return remember(this.userTokens, appIdOf(claimsIdentity), create);
  }
}

/** The cached promise for key, creating it on a miss; a failed creation is forgotten so the next turn retries. */
function remember<T>(cache: Map<string, Promise<T>>, key: string, create: () => Promise<T>): Promise<T> {
  const cached = cache.get(key);
  if (cached) return cached;
  // oldest first out, so a flood of distinct serviceUrls cannot grow memory
  if (cache.size >= MAX_CACHED_CLIENTS) cache.delete(cache.keys().next().value!);
  const created = create();
  cache.set(key, created);
  created.catch(() => cache.get(key) === created && cache.delete(key));
  return created;
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
export function localeLang(context: TurnContext): Lang {
  return languageFromLocale(context.activity.locale);
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
    private readonly langOf: (context: TurnContext) => Lang | Promise<Lang> = localeLang,
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
      await context.sendActivity(securityMessages.tenantNotAllowed[await this.langOf(context)]);
    }
  }
}
