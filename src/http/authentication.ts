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
