import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, registerSecrets, scrubSecrets } from '../src/logger';
import { listenHost, serviceUrlAllowed, tenantOf } from '../src/security';

/** A logger whose lines are kept in memory. */
function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination }), lines };
}

describe('where the bot listens and whom it calls back', () => {
  it('listens on loopback only when requests are not authenticated, unless HOST says otherwise', () => {
    expect(listenHost({}, undefined)).toBe('127.0.0.1');
    expect(listenHost({}, '0.0.0.0')).toBe('0.0.0.0');
    expect(listenHost({ appId: 'app' }, undefined)).toBe('0.0.0.0');
  });

  it('trusts loopback serviceUrls, and other hosts only when configured and over https', () => {
    expect(serviceUrlAllowed('http://localhost:3978/')).toBe(true);
    expect(serviceUrlAllowed('http://127.0.0.1:5000')).toBe(true);
    expect(serviceUrlAllowed('http://[::1]:5000')).toBe(true);
    expect(serviceUrlAllowed('https://smba.trafficmanager.net/jp/')).toBe(false);
    expect(serviceUrlAllowed('https://smba.trafficmanager.net/jp/', ['botframework'])).toBe(true);
    expect(serviceUrlAllowed('https://webchat.botframework.com/', ['botframework'])).toBe(true);
    expect(serviceUrlAllowed('http://webchat.botframework.com/', ['botframework'])).toBe(false);
    expect(serviceUrlAllowed('https://botframework.com.attacker.example/', ['botframework'])).toBe(false);
    expect(serviceUrlAllowed('http://localhost.attacker.example/')).toBe(false);
    expect(serviceUrlAllowed('http://user:pw@127.0.0.1/')).toBe(false);
    expect(serviceUrlAllowed('file:///etc/passwd')).toBe(false);
    expect(serviceUrlAllowed(undefined)).toBe(false);
    expect(serviceUrlAllowed({ href: 'http://127.0.0.1' })).toBe(false);
  });

  it('reads the tenant from Teams channelData first, then from the conversation', () => {
    const base = { type: 'message', conversation: { id: 'c', tenantId: 'CONV-TENANT' } };
    expect(tenantOf({ ...base, channelData: { tenant: { id: 'Teams-Tenant' } } } as never)).toBe(
      'teams-tenant',
    );
    expect(tenantOf(base as never)).toBe('conv-tenant');
    expect(
      tenantOf({ type: 'message', conversation: { id: 'c' }, channelData: 'x' } as never),
    ).toBeUndefined();
  });
});

describe('secrets never reach the logs', () => {
  it('redacts credentials by field and scrubs configured secrets, tokens and account keys from any text', async () => {
    const { log, lines } = capturedLogger();
    registerSecrets('app-password-7f3a"quoted\\slash');
    log.info({ headers: { authorization: 'Bearer abc' }, MicrosoftAppPassword: 'plain-field' }, 'request');
    log.error(
      {
        err: new Error(
          'auth failed for app-password-7f3a"quoted\\slash with eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln ' +
            'on DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=Eby8vdM02xNOcqF==;',
        ),
      },
      'failed',
    );
    log.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = lines.join('\n');
    expect(lines).toHaveLength(2);
    for (const secret of [
      'app-password-7f3a',
      'plain-field',
      'Bearer abc',
      'eyJhbGciOiJSUzI1NiJ9',
      'Eby8vdM02xNOcqF',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(lines[1]).err.message).toContain('[redacted]');
  });

  it('leaves ordinary log lines alone', () => {
    const line = '{"msg":"case finished","routeId":"azure/cloudSolutionProvider","lang":"ja","turns":4}';
    expect(scrubSecrets(line)).toBe(line);
  });
});
