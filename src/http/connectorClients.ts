import {
  AuthenticationConstants,
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
