import { inspect } from 'node:util';
import { describe, expect, it, test } from 'vitest';
import {
  ConfigError,
  describeConfig,
  loadConfig,
  MIN_SECRET_LENGTH,
  redactUrl,
  urlSecrets,
} from '../src/config.ts';

const LONG_SECRET = 's'.repeat(MIN_SECRET_LENGTH);
const defaults = { version: '9.9.9' };

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({}, defaults);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 5000,
      host: '0.0.0.0',
      logLevel: 'info',
      version: '9.9.9',
      commit: 'unknown',
      secretKey: undefined,
      databaseUrl: undefined,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        PORT: '8080',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'debug',
        SECRET_KEY: LONG_SECRET,
        DATABASE_URL: 'postgres://app:pw@db:5432/app',
        APP_VERSION: '2.0.0',
        GIT_COMMIT: 'abc123',
        SHUTDOWN_TIMEOUT_MS: '2500',
        SHUTDOWN_DRAIN_MS: '100',
      },
      defaults,
    );
    expect(config.port).toBe(8080);
    expect(config.secretKey?.reveal()).toBe(LONG_SECRET);
    expect(config.databaseUrl?.reveal()).toBe('postgres://app:pw@db:5432/app');
    expect(config).toMatchObject({
      version: '2.0.0',
      commit: 'abc123',
      shutdownTimeoutMs: 2500,
      shutdownDrainMs: 100,
    });
  });

  it('treats empty values as unset', () => {
    expect(
      loadConfig({ SECRET_KEY: '', DATABASE_URL: '', PORT: '' } as NodeJS.ProcessEnv, defaults),
    ).toMatchObject({
      secretKey: undefined,
      databaseUrl: undefined,
    });
  });

  test.each([
    [{ PORT: 'eighty' }, /PORT: must be a number/],
    [{ PORT: '0' }, /PORT: must be at least 1/],
    [{ PORT: '70000' }, /PORT: must be at most 65535/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: must be one of fatal, error/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV: must be one of development, production, test/],
    [
      { DATABASE_URL: 'mysql://u:hunter2@db/app' },
      /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/,
    ],
    [{ DATABASE_URL: 'not a url hunter2' }, /DATABASE_URL: must be a postgres/],
    [{ NODE_ENV: 'production' }, /SECRET_KEY: required when NODE_ENV=production/],
    [
      { NODE_ENV: 'production', SECRET_KEY: 'hunter2' },
      /SECRET_KEY: must be at least 32 characters .*\(it has 7\)/,
    ],
  ])('rejects %o with a message naming the variable', (env, message) => {
    const attempt = () => loadConfig(env, defaults);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('never puts a secret value in its error messages', () => {
    const messages: string[] = [];
    for (const env of [
      { NODE_ENV: 'production', SECRET_KEY: 'hunter2' },
      { DATABASE_URL: 'mysql://u:hunter2@db/app' },
      { DATABASE_URL: 'hunter2' },
    ]) {
      try {
        loadConfig(env, defaults);
      } catch (error) {
        messages.push(String(error));
      }
    }
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(message).not.toContain('hunter2');
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' }, defaults)).toThrow(
      /PORT[\s\S]*LOG_LEVEL/,
    );
  });

  it('takes its default version from backend/package.json', () => {
    expect(loadConfig({}).version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('secrets', () => {
  const config = loadConfig(
    { SECRET_KEY: 'hunter2-hunter2', DATABASE_URL: 'postgres://app:hunter2@db:5432/app' },
    defaults,
  );

  test.each([
    ['JSON.stringify', () => JSON.stringify(config)],
    ['String()', () => String(config.secretKey)],
    ['template literal', () => `${config.databaseUrl}`],
    ['util.inspect', () => inspect(config, { depth: 5 })],
    ['describeConfig', () => JSON.stringify(describeConfig(config))],
  ])('do not leak through %s', (_name, render) => {
    expect(render()).not.toContain('hunter2');
  });

  it('describeConfig keeps the useful, non-secret parts', () => {
    expect(describeConfig(config)).toMatchObject({
      secretKeyConfigured: true,
      database: 'postgres://***:***@db:5432/app',
    });
  });

  test.each([
    ['postgres://app:pw@db:5432/app', 'postgres://***:***@db:5432/app'],
    ['postgres://db:5432/app', 'postgres://db:5432/app'],
    ['postgresql://app@db/app?sslmode=require', 'postgresql://***@db/app?sslmode=require'],
    // node-postgres reads every query parameter: a password can live there too.
    ['postgres://app@db:5432/notes?password=hunter2', 'postgres://***@db:5432/notes?password=***'],
    ['postgres://db/app?user=app&password=hunter2', 'postgres://db/app?user=***&password=***'],
    [
      'postgres://app@db/app?sslmode=verify-full&sslpassword=hunter2',
      'postgres://***@db/app?sslmode=verify-full&sslpassword=***',
    ],
    [
      'postgres://db/app?sslrootcert=/run/ca.crt&sslcert=/run/c.crt&sslkey=/run/hunter2.key',
      'postgres://db/app?sslrootcert=%2Frun%2Fca.crt&sslcert=%2Frun%2Fc.crt&sslkey=***',
    ],
    ['postgres://db/app?options=-c%20my.token%3Dhunter2', 'postgres://db/app?options=***'],
    ['postgres://db/app?api_token=hunter2', 'postgres://db/app?api_token=***'],
    ['postgres://db/app?PASSWORD=hunter2', 'postgres://db/app?PASSWORD=***'],
    ['postgres://app:hunter2@db/app#hunter2', 'postgres://***:***@db/app'],
    [
      'postgres://db/app?application_name=backend&connect_timeout=5',
      'postgres://db/app?application_name=backend&connect_timeout=5',
    ],
  ])('redactUrl(%s) = %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  test.each([
    ['postgres://app:p%40ss@db/app', ['p%40ss', 'p@ss']],
    ['postgres://app@db/app?password=hunter2&sslmode=require', ['hunter2']],
    ['postgres://db/app?sslpassword=k3y&options=-c%20x%3Dy&user=app', ['k3y', '-c x=y']],
    ['postgres://db/app?sslmode=require', []],
  ])('urlSecrets(%s) = %j', (input, expected) => {
    expect(urlSecrets(input)).toEqual(expected);
  });
});
