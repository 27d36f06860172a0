import {
  AuthenticationConstants,
  ConversationConstants,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';

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
export class ConnectorClientCache {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokens = new Map<string, Promise<UserTokenClient>>();

  factory(claimsIdentity: ClaimsIdentity, inner: ConnectorFactory): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    return {
      create: (serviceUrl: string, audience?: string) =>
        remember(this.connectors, `${appId}|${serviceUrl}|${audience ?? ''}`, () =>
          inner.create(serviceUrl, audience).then(withHeaderSafeConversationIds),
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

/** Anything but printable ASCII: Node refuses a header value beyond Latin-1 and sends Latin-1 as mangled UTF-8. */
const UNSAFE_IN_HEADER = /[^\x20-\x7e]/;

/** The part of @azure/core-rest-pipeline a policy needs, declared here rather than imported from a transitive package. */
interface HeaderPipeline {
  addPolicy(policy: {
    name: string;
    sendRequest(
      request: { headers: { get(name: string): string | undefined; set(name: string, value: string): void } },
      next: (request: unknown) => Promise<unknown>,
    ): Promise<unknown>;
  }): void;
}

/**
 * replyToActivity copies the conversation id into an `x-ms-conversation-id` header; Node refuses a header value
 * outside Latin-1, so a reply into a conversation named in Japanese (or with an emoji) failed before it left. The
 * URL path encodes the id; the header now carries it percent-encoded when it is not plain ASCII. The pipeline sits on a field
 * the SDK's types call private (ServiceClientContext.client); a test fails if a botbuilder update moves it.
 */
function withHeaderSafeConversationIds(connector: ConnectorClient): ConnectorClient {
  const pipeline = (connector as unknown as { client?: { pipeline?: HeaderPipeline } }).client?.pipeline;
  pipeline?.addPolicy({
    name: 'headerSafeConversationId',
    sendRequest(request, next) {
      const id = request.headers.get(ConversationConstants.ConversationIdHttpHeaderName);
      if (id && UNSAFE_IN_HEADER.test(id)) {
        request.headers.set(ConversationConstants.ConversationIdHttpHeaderName, encodeURIComponent(id));
      }
      return next(request);
    },
  });
  return connector;
}
