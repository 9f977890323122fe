import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { IssuerConfig } from '../config/issuers-schema';
import type { Principal, PrincipalKind } from './principal';

const defaultGroupsClaim = { cognito: 'cognito:groups', oidc: 'groups' } as const;

/** Turns verified claims into the one Principal shape every route works with. */
export function principalFromClaims(payload: JwtPayload, issuer: IssuerConfig): Principal {
  return withClaimMapping(claimsPrincipal(payload, issuer), payload, issuer);
}

function claimsPrincipal(payload: JwtPayload, issuer: IssuerConfig): Principal {
  const subject = stringClaim(payload, 'sub') ?? '';
  const clientId =
    stringClaim(payload, 'client_id') ??
    stringClaim(payload, 'azp') ??
    (issuer.type === 'cognito' && payload.token_use === 'id'
      ? stringClaim(payload, 'aud')
      : undefined);
  // RFC 9068: a token issued to a client for itself has sub == client_id; Auth0 marks it with gty.
  const kind: PrincipalKind = isAgent(payload, clientId, issuer)
    ? 'agent'
    : payload.gty === 'client_credentials' || (clientId !== undefined && subject === clientId)
      ? 'machine'
      : 'person';
  const username =
    (issuer.usernameClaim ? stringClaim(payload, issuer.usernameClaim) : undefined) ??
    stringClaim(payload, 'username') ??
    stringClaim(payload, 'cognito:username') ??
    stringClaim(payload, 'preferred_username') ??
    (kind !== 'person' ? clientId : undefined);

  return {
    subject,
    username,
    email: stringClaim(payload, 'email'),
    groups: listClaim(payload[issuer.groupsClaim ?? defaultGroupsClaim[issuer.type]]),
    scopes: listClaim(payload.scope ?? payload.scp),
    issuer: stringClaim(payload, 'iss') ?? '',
    issuerName: issuer.name,
    clientId,
    kind,
  };
}

/** Config names the agents per issuer (issuers-schema.ts `agents`); anything else is not one. */
function isAgent(payload: JwtPayload, clientId: string | undefined, issuer: IssuerConfig): boolean {
  const agents = issuer.agents;
  if (!agents) return false;
  if (clientId !== undefined && agents.clientIds?.includes(clientId)) return true;
  if (!agents.claim) return false;
  const value = payload[agents.claim.name];
  return Array.isArray(value) ? value.includes(agents.claim.value) : value === agents.claim.value;
}

function stringClaim(payload: JwtPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Claims such as scope come as a space-separated string or as an array, depending on the issuer. */
function listClaim(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/**
 * An issuer's claim mapping (issuers-schema.ts `claimMapping`) applied over the usual claims:
 * Backstage's `sub` `user:default/alice` is the username `alice`, its `ent` refs
 * `group:default/release-managers` the groups. Refs of other kinds (`user:` in `ent`) match
 * no group pattern and are left out.
 */
function withClaimMapping(
  principal: Principal,
  payload: JwtPayload,
  issuer: IssuerConfig,
): Principal {
  const mapping = issuer.type === 'oidc' ? issuer.claimMapping : undefined;
  if (!mapping) return principal;
  const mapped = (rule: { claim: string; match: string }): string[] => {
    const pattern = new RegExp(rule.match);
    return listClaim(payload[rule.claim]).flatMap((value) => {
      const captured = pattern.exec(value)?.[1];
      return captured ? [captured] : [];
    });
  };
  return {
    ...principal,
    ...(mapping.username ? { username: mapped(mapping.username)[0] } : {}),
    ...(mapping.groups ? { groups: mapped(mapping.groups) } : {}),
  };
}
