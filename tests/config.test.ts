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
    expect(settings.directLine).toEqual({ secret: undefined, azureDomain: undefined, botAppId: undefined });
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
