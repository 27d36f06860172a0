import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for login.botframework.com (offline): serves an OpenID configuration and its signing keys, so the
 * bot's real CloudAdapter validates tokens exactly as in Azure — signature, key id, issuer, audience, expiry,
 * endorsements and the serviceurl claim — against keys this test controls.
 */
export class BotFrameworkTokenService {
  /** The key the Bot Connector signs with: listed in the published key set. */
  private readonly trusted = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** A key an attacker made up: never published. */
  private readonly forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server?: Server;
  metadataUrl = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const base = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
      const body =
        req.url === '/keys'
          ? {
              keys: [
                {
                  ...this.trusted.publicKey.export({ format: 'jwk' }),
                  kid: 'connector-key',
                  use: 'sig',
                  endorsements: ['msteams', 'webchat', 'emulator', 'directline'],
                },
              ],
            }
          : { issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.metadataUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/openidconfiguration`;
  }

  /**
   * ConfigurationBotFrameworkAuthentication settings for the public cloud with the OpenID documents served here.
   * Setting one endpoint switches the SDK to "all parameters given", so the others are spelled out as the SDK's
   * own defaults (AuthenticationConstants).
   */
  authSettings(): Record<string, string | boolean> {
    return {
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      OAuthUrl: 'https://api.botframework.com',
      ToBotFromChannelOpenIdMetadataUrl: this.metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: this.metadataUrl,
      CallerId: 'urn:botframework:azure',
    };
  }

  /** A token as the Bot Connector issues it to the bot `appId` for a channel calling back on `serviceUrl`. */
  channelToken(appId: string, serviceUrl: string, overrides: Record<string, unknown> = {}): string {
    return this.sign(this.trusted.privateKey, 'connector-key', {
      iss: 'https://api.botframework.com',
      aud: appId,
      serviceurl: serviceUrl,
      nbf: Math.floor(Date.now() / 1000) - 60,
      exp: Math.floor(Date.now() / 1000) + 3600,
      ...overrides,
    });
  }

  /** The same claims, signed with a key Microsoft never published (kid says whose key it claims to be). */
  forgedToken(appId: string, serviceUrl: string, kid = 'connector-key'): string {
    return this.sign(this.forger.privateKey, kid, {
      iss: 'https://api.botframework.com',
      aud: appId,
      serviceurl: serviceUrl,
      nbf: Math.floor(Date.now() / 1000) - 60,
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
  }

  private sign(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claims)}`;
    return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
