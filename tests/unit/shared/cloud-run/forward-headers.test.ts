import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../shared/auth/principal';
import {
  allowedRequestHeaders,
  allowedResponseHeaders,
  identityHeaders,
} from '../../../../shared/cloud-run/forward-headers';

describe('allowedRequestHeaders', () => {
  it('happy flow: keeps allowlisted headers only', () => {
    expect(
      allowedRequestHeaders(
        { accept: 'application/json', 'x-other': '1', 'content-type': 'text/plain' },
        ['accept', 'content-type'],
      ),
    ).toEqual({ accept: 'application/json', 'content-type': 'text/plain' });
  });

  it('error flow: credentials, cookies, hop-by-hop and x-crossgate-* never pass, even allowlisted', () => {
    const forwarded = allowedRequestHeaders(
      {
        authorization: 'Bearer caller',
        cookie: 'a=b',
        connection: 'close',
        'transfer-encoding': 'chunked',
        'x-crossgate-subject': 'admin',
        traceparent: '00-x',
      },
      [
        'authorization',
        'cookie',
        'connection',
        'transfer-encoding',
        'x-crossgate-subject',
        'traceparent',
      ],
    );
    expect(forwarded).toEqual({});
  });
});

describe('identityHeaders', () => {
  const principal: Principal = {
    subject: 'u-1',
    username: 'bob',
    email: 'bob@example.com',
    groups: ['developers', 'team a,b'],
    scopes: ['run:echo', 'x'],
    issuer: 'https://issuer',
    issuerName: 'cognito',
    kind: 'person',
  };

  it('happy flow: names the verified caller for the backend', () => {
    expect(identityHeaders(principal)).toEqual({
      'x-crossgate-user': 'bob',
      'x-crossgate-issuer': 'cognito',
      'x-crossgate-subject': 'u-1',
      'x-crossgate-email': 'bob@example.com',
      'x-crossgate-groups': 'developers,team%20a%2Cb',
      'x-crossgate-scopes': 'run:echo x',
      'x-crossgate-principal-kind': 'person',
    });
  });

  it('happy flow: non-ASCII and line breaks are percent-encoded, never raw in a header', () => {
    const headers = identityHeaders({
      ...principal,
      subject: 'zoë\r\nx-evil: 1',
      email: undefined,
    });
    expect(headers['x-crossgate-subject']).toBe('zo%C3%AB%0D%0Ax-evil: 1');
    expect(headers).not.toHaveProperty('x-crossgate-email');
  });
});

describe('allowedResponseHeaders', () => {
  it('happy flow: keeps allowlisted response headers, drops set-cookie and others', () => {
    const upstream = new Headers({
      'content-type': 'application/json',
      etag: '"v1"',
      'set-cookie': 's=1',
      'x-internal': 'secret',
    });
    expect(allowedResponseHeaders(upstream, ['content-type', 'etag', 'set-cookie'])).toEqual({
      'content-type': 'application/json',
      etag: '"v1"',
    });
  });
});
