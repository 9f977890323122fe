import { describe, expect, it } from 'vitest';
import { interpolateEnv, MissingVariableError } from '../../../../shared/config/interpolate';

describe('interpolateEnv', () => {
  it('resolves placeholders inside strings, arrays and objects', () => {
    const result = interpolateEnv(
      { url: 'http://${env:HOST}:${env:PORT}/x', list: ['${env:HOST}'], n: 3 },
      { HOST: 'h', PORT: '1' },
    );
    expect(result).toEqual({ url: 'http://h:1/x', list: ['h'], n: 3 });
  });

  it('uses the default, which may contain colons', () => {
    expect(interpolateEnv('${env:AUD:-urn:crossgate:api}', {})).toBe('urn:crossgate:api');
    expect(interpolateEnv('${env:AUD:-urn:x}', { AUD: 'given' })).toBe('given');
  });

  it('drops a key whose only placeholder resolves to the empty string', () => {
    expect(interpolateEnv({ a: '${env:X:-}', b: 'kept' }, {})).toEqual({ b: 'kept' });
    expect(interpolateEnv({ list: ['${env:X:-}', 'y'] }, {})).toEqual({ list: ['y'] });
  });

  it('error flow: an unset variable without default names the key', () => {
    expect(() => interpolateEnv({ a: { b: '${env:NOPE}' } }, {})).toThrow(MissingVariableError);
    expect(() => interpolateEnv({ a: { b: '${env:NOPE}' } }, {})).toThrow(
      'config key "a.b" needs environment variable NOPE',
    );
  });
});
