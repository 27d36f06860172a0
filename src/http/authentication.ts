import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import { ConnectorClientCache } from './connectorClients';

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
    withoutConsoleErrors(() => authenticateRequest(activity, authHeader)).then(
      withCachedClients,
      rejectForged,
    );
  const authenticateStreamingRequest = auth.authenticateStreamingRequest.bind(auth);
  auth.authenticateStreamingRequest = (authHeader, channelIdHeader) =>
    withoutConsoleErrors(() => authenticateStreamingRequest(authHeader, channelIdHeader)).then(
      withCachedClients,
      rejectForged,
    );
  const createConnectorFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claimsIdentity) =>
    clients.factory(claimsIdentity, createConnectorFactory(claimsIdentity));
  const createUserTokenClient = auth.createUserTokenClient.bind(auth);
  auth.createUserTokenClient = (claimsIdentity) =>
    clients.userTokenClient(claimsIdentity, () => createUserTokenClient(claimsIdentity));
  return auth;
}

let consoleErrorsFiltered = false;

/** The two lines the SDK's token check (botframework-connector's JwtTokenExtractor) prints before it throws. */
function isTokenCheckNoise(first: unknown): boolean {
  if (first instanceof Error) return first.name === 'TokenExpiredError';
  return typeof first === 'string' && first.startsWith('Error finding key for token.');
}

/**
 * The SDK's token check prints every rejected token to stderr (a stack, or the public key it tried: ~11 lines)
 * before throwing; the endpoint logs the rejection as one JSON line instead. Those two messages are dropped by
 * their content, and every other console.error is written. (Not by async context: an AsyncLocalStorage turns on
 * Node 20's promise hooks for the whole process, which made every turn's promises slower.)
 */
function withoutConsoleErrors<T>(check: () => Promise<T>): Promise<T> {
  if (!consoleErrorsFiltered) {
    consoleErrorsFiltered = true;
    const write = console.error.bind(console);
    console.error = (...args: unknown[]) => {
      if (!isTokenCheckNoise(args[0])) write(...args);
    };
  }
  return check();
}
