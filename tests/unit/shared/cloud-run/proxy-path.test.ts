import { describe, expect, it } from 'vitest';
import { proxyPathOf, upstreamPath, upstreamUrl } from '../../../../shared/cloud-run/proxy-path';
import { BadRequestError } from '../../../../shared/errors';

describe('upstreamPath', () => {
  it.each([
    ['hello', '/hello'],
    ['a/b/', '/a/b/'],
    ['a//b', '/a/b'],
    ['reports/2024%20Q1', '/reports/2024%20Q1'],
    ['caf%C3%A9', '/caf%C3%A9'],
    ['users/me@example.com:profile', '/users/me@example.com:profile'],
    ['a/.well-known/x', '/a/.well-known/x'],
    ['a/..b/c', '/a/..b/c'],
  ])('happy flow: %s becomes %s', (raw, expected) => {
    expect(upstreamPath(raw)).toBe(expected);
  });

  it.each([
    ['../etc/passwd', 'dot segments'],
    ['a/../../b', 'dot segments'],
    ['a/%2e%2e/b', 'dot segments'],
    ['a/%2E%2E/b', 'dot segments'],
    ['a/./b', 'dot segments'],
    ['a/..%2fb', 'encoded slashes'],
    ['a%2Fb', 'encoded slashes'],
    ['a%5c..%5cb', 'encoded slashes'],
    ['a/%252e%252e/b', 'double-encoded'],
    ['a/%252fb', 'double-encoded'],
    ['a%00b', 'control characters'],
    ['a%0d%0aSet-Cookie:x', 'control characters'],
    ['a\\..\\b', 'control characters and backslashes'],
    ['a/%zz', 'malformed'],
    // Issue 15: Tomcat and Jetty read `..;x` as `..`.
    ['..;/x', 'dot segments'],
    ['a/..;/x', 'dot segments'],
    ['a/..;jsessionid=1/x', 'dot segments'],
    ['a/.;/x', 'dot segments'],
    ['a/%2e%2e;/x', 'dot segments'],
    ['a/%2E%2e%3B/x', 'dot segments'],
    ['a/.%2e;x/y', 'dot segments'],
    ['a/%252e%252e;/x', 'double-encoded'],
    ['a/%EF%BC%8E%EF%BC%8E/x', 'dot segments'],
    ['a/%c0%ae%c0%ae/x', 'malformed'],
    ['a/%u002e%u002e/x', 'malformed'],
  ])('error flow: %s is 400 (%s)', (raw, reason) => {
    const attempt = () => upstreamPath(raw);
    expect(attempt).toThrow(BadRequestError);
    expect(attempt).toThrow(reason);
  });
});

describe('proxyPathOf and upstreamUrl', () => {
  it('happy flow: takes the raw rest of the path after /run/{service}/', () => {
    expect(proxyPathOf('/run/echo/a%2Fb/c', 'echo')).toBe('a%2Fb/c');
  });

  it('error flow: a path without the service prefix is 400', () => {
    expect(() => proxyPathOf('/run/other/x', 'echo')).toThrow(BadRequestError);
  });

  it('happy flow: joins the service URL path, the checked path and the query as sent', () => {
    expect(upstreamUrl('https://svc-abc.a.run.app/api/', '/v1/items', 'a=1&b=%20')).toBe(
      'https://svc-abc.a.run.app/api/v1/items?a=1&b=%20',
    );
    expect(upstreamUrl('https://svc-abc.a.run.app', '/x', '')).toBe('https://svc-abc.a.run.app/x');
  });
});

describe('upstreamUrl query strings', () => {
  it.each([
    ['a#b', '#'],
    ['a=1 2', 'space'],
    ['a=%0', 'short escape'],
    ['a=%zz', 'malformed escape'],
    ['a=\r\nx', 'control characters'],
    ['a=é', 'non-ASCII'],
  ])('error flow: %s is 400 (%s)', (query) => {
    expect(() => upstreamUrl('https://svc.a.run.app', '/x', query)).toThrow(BadRequestError);
  });

  it('happy flow: an encoded query is passed exactly', () => {
    const query = 'q=%23tag&path=..%2F..&x=%E2%82%AC&empty=&flag';
    const url = new URL(upstreamUrl('https://svc.a.run.app/base', '/x', query));
    expect(url.search).toBe(`?${query}`);
    expect(url.pathname).toBe('/base/x');
  });
});
