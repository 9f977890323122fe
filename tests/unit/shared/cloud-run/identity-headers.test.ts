import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../shared/auth/principal';
import { identityHeaders } from '../../../../shared/cloud-run/forward-headers';
import { bobPrincipal } from '../../../helpers/seed-principals';

const bob: Principal = {
  ...bobPrincipal,
  groups: ['developers', 'release managers'],
  scopes: ['run:echo'],
};

describe('identityHeaders', () => {
  it('happy flow: the existing headers plus user and issuer', () => {
    expect(identityHeaders(bob)).toEqual({
      'x-crossgate-subject': '7f3a-uuid',
      'x-crossgate-email': 'bob@example.com',
      'x-crossgate-groups': 'developers,release%20managers',
      'x-crossgate-scopes': 'run:echo',
      'x-crossgate-principal-kind': 'person',
      'x-crossgate-user': 'bob',
      'x-crossgate-issuer': 'cognito',
    });
  });

  it('happy flow: no username, no x-crossgate-user', () => {
    const { username: _username, ...machine } = bob;
    expect(identityHeaders(machine)).not.toHaveProperty('x-crossgate-user');
  });

  it('error flow: a username that a header cannot carry is percent-encoded, and decodes back', () => {
    const headers = identityHeaders({ ...bob, username: 'zoë\r\nx-evil: 1 100%' });
    expect(headers['x-crossgate-user']).toBe('zo%C3%AB%0D%0Ax-evil: 1 100%25');
    expect(decodeURIComponent(headers['x-crossgate-user']!)).toBe('zoë\r\nx-evil: 1 100%');
    expect(() => new Headers(headers)).not.toThrow();
  });
});
