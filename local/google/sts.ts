import { verifySigV4 } from './aws-sigv4';
import { oauthError } from './google-problems';
import type { GoogleState } from './google-state';
import { CLOUD_PLATFORM } from './google-types';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const AWS4_REQUEST = 'urn:ietf:params:aws:token-type:aws4_request';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/**
 * `POST /v1/token` (STS): token exchange of an AWS-signed GetCallerIdentity request (Workload
 * Identity Federation, aws1). The SigV4 signature is verified against the known AWS keys; the
 * pool provider audience and the target-resource header are checked.
 */
export async function sts(state: GoogleState, form: URLSearchParams) {
  await state.applyFaults('sts');
  const bad = (description: string) =>
    state.refuse('sts', oauthError(400, 'invalid_request', description));
  if (form.get('grant_type') !== TOKEN_EXCHANGE) bad('grant_type must be token-exchange');
  if (form.get('audience') !== state.options.workloadIdentityAudience) {
    state.refuse(
      'sts',
      oauthError(
        400,
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid.',
      ),
    );
  }
  if (form.get('subject_token_type') !== AWS4_REQUEST)
    bad('subject_token_type must be aws4_request');
  if (form.get('requested_token_type') !== ACCESS_TOKEN_TYPE)
    bad('requested_token_type must be access_token');
  const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
  if (!scopes.includes(CLOUD_PLATFORM)) bad('scope must include cloud-platform');

  let subjectToken: { url?: unknown; method?: unknown; headers?: unknown };
  try {
    subjectToken = JSON.parse(
      decodeURIComponent(form.get('subject_token') ?? ''),
    ) as typeof subjectToken;
  } catch {
    return state.refuse(
      'sts',
      oauthError(400, 'invalid_grant', 'The subject token is not a serialized AWS request.'),
    );
  }
  const { url, method, headers } = subjectToken;
  if (typeof url !== 'string' || method !== 'POST' || !Array.isArray(headers)) {
    return state.refuse(
      'sts',
      oauthError(400, 'invalid_grant', 'The subject token must be a POST with url and headers.'),
    );
  }
  const parsed = new URL(url);
  if (
    !/^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(parsed.hostname) ||
    parsed.protocol !== 'https:' ||
    parsed.searchParams.get('Action') !== 'GetCallerIdentity' ||
    parsed.searchParams.get('Version') !== '2011-06-15'
  ) {
    return state.refuse(
      'sts',
      oauthError(
        400,
        'invalid_grant',
        'The subject token is not a GetCallerIdentity request to AWS STS.',
      ),
    );
  }
  const headerMap: Record<string, string> = {};
  for (const entry of headers as { key?: unknown; value?: unknown }[]) {
    if (typeof entry.key === 'string' && typeof entry.value === 'string') {
      headerMap[entry.key.toLowerCase()] = entry.value;
    }
  }
  if (headerMap['x-goog-cloud-target-resource'] !== state.options.workloadIdentityAudience) {
    return state.refuse(
      'sts',
      oauthError(400, 'invalid_grant', 'x-goog-cloud-target-resource does not name this provider.'),
    );
  }
  if (headerMap.host !== undefined && headerMap.host !== parsed.host) {
    return state.refuse(
      'sts',
      oauthError(400, 'invalid_grant', 'The host header does not match the URL.'),
    );
  }
  let signer: { accessKeyId: string; service: string };
  try {
    signer = verifySigV4({ url, method, headers: headerMap }, (id) => state.options.awsKeys[id]);
  } catch (error) {
    return state.refuse(
      'sts',
      oauthError(400, 'invalid_grant', `AWS rejected the request: ${(error as Error).message}`),
    );
  }
  if (signer.service !== 'sts') {
    return state.refuse(
      'sts',
      oauthError(400, 'invalid_grant', 'The request was not signed for sts.'),
    );
  }
  state.counters().sts += 1;
  const subject = `${state.options.workloadIdentityAudience.replace(/\/providers\/.*$/, '')}/subject/${signer.accessKeyId}`;
  const { token } = state.issue('federated', subject, [CLOUD_PLATFORM]);
  return {
    access_token: token,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: 'Bearer',
    expires_in: state.lifetime(),
  };
}
