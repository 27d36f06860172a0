import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings } from '../src/config';
import { StorageError } from '../src/storage';

describe('settings (one module, every variable checked)', () => {
  it('gives each part its section, with the defaults of .env.example', () => {
    const settings = loadSettings({});
    expect(settings.bot).toMatchObject({ port: 3978, authenticated: false });
    expect(settings.storage).toEqual({ kind: 'memory' });
    expect(settings.security.maxBodyBytes).toBe(256 * 1024);
    expect(settings.telemetry).toEqual({ connectionString: undefined, logPersonalInformation: false });
    expect(settings.logLevel).toBe('info');
    expect(settings.directLine).toEqual({ secret: undefined, azureDomain: undefined });
  });

  it('reads the telemetry, web chat and log settings', () => {
    const settings = loadSettings({
      APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=11111111-2222-3333-4444-555555555555',
      TELEMETRY_LOG_PERSONAL_INFORMATION: 'true',
      DIRECT_LINE_SECRET: 'secret-value',
      WEBCHAT_FRAME_ANCESTORS: 'https://intranet.example.com',
      TRANSCRIPTS_DIR: ' transcripts ',
      LOG_LEVEL: 'warn',
      HOST: '',
    });
    expect(settings.telemetry.logPersonalInformation).toBe(true);
    expect(settings.webChat.frameAncestors).toBe('https://intranet.example.com');
    expect(settings.webChat.azureDomain).toMatch(/^https:\/\//);
    expect(settings.transcriptsDir).toBe('transcripts');
    expect(settings.logLevel).toBe('warn');
    expect(settings.host).toBeUndefined();
  });

  it('takes a blank or spaces-only line in .env as unset, in every section', () => {
    const blank = loadSettings({
      PORT: ' ',
      MicrosoftAppId: '',
      MicrosoftAppType: '  ',
      MAX_BODY_BYTES: ' ',
      ALLOW_UNAUTHENTICATED_REMOTE: '',
      STORAGE_CONNECTION_STRING: ' ',
      STORAGE_CONTAINER: '',
      FEEDBACK_COMMENTS: ' ',
      TELEMETRY_LOG_PERSONAL_INFORMATION: '',
    });
    expect(blank.bot).toEqual({
      auth: { MicrosoftAppType: 'MultiTenant' },
      authenticated: false,
      port: 3978,
    });
    expect(blank.security).toMatchObject({ maxBodyBytes: 256 * 1024, allowUnauthenticatedRemote: false });
    expect(blank.storage).toEqual({ kind: 'memory' });
    expect(blank.feedback.comments).toBe(true);
    expect(blank.telemetry.logPersonalInformation).toBe(false);
  });

  it('reads true / false and on / off the same way everywhere', () => {
    const set = loadSettings({
      ALLOW_UNAUTHENTICATED_REMOTE: 'true',
      TELEMETRY_LOG_PERSONAL_INFORMATION: 'true',
      FEEDBACK_COMMENTS: 'off',
      EVENTS_NOT_UNDERSTOOD_TEXT: 'off',
    });
    expect(set.security.allowUnauthenticatedRemote).toBe(true);
    expect(set.telemetry.logPersonalInformation).toBe(true);
    expect(set.feedback.comments).toBe(false);
    expect(set.events.notUnderstoodText).toBe(false);
    expect(() => loadSettings({ ALLOW_UNAUTHENTICATED_REMOTE: 'yes' })).toThrow(
      /ALLOW_UNAUTHENTICATED_REMOTE: must be true or false/,
    );
    expect(() => loadSettings({ FEEDBACK_COMMENTS: 'true' })).toThrow(/FEEDBACK_COMMENTS: must be on or off/);
  });

  it('refuses a bad value with one line naming the variable', () => {
    expect(() => loadSettings({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadSettings({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadSettings({ TELEMETRY_LOG_PERSONAL_INFORMATION: 'yes' })).toThrow(
      /TELEMETRY_LOG_PERSONAL_INFORMATION: must be true or false/,
    );
    expect(() => loadSettings({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'my-key' })).toThrow(
      /APPLICATIONINSIGHTS_CONNECTION_STRING/,
    );
    expect(() => loadSettings({ DIRECT_LINE_DOMAIN: 'http://directline.example.com' })).toThrow(
      /DIRECT_LINE_DOMAIN/,
    );
    expect(() => loadSettings({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadSettings({ STORAGE_CONTAINER: 'bot-state' })).toThrow(StorageError);
  });
});
