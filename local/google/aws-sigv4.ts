import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks an AWS Signature Version 4 over a serialized GetCallerIdentity request, as Google's
 * STS does before it asks AWS who signed it. Written by hand (RFC-like spec at
 * docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) because the stand-in
 * must check the signature independently of the library that produced it.
 */
export interface SignedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SigV4Result {
  accessKeyId: string;
  region: string;
  service: string;
  amzDate: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export function verifySigV4(
  request: SignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
  now = Date.now(),
): SigV4Result {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const match = AUTHORIZATION.exec(headers.authorization ?? '');
  if (!match) throw new Error('the subject token has no AWS4-HMAC-SHA256 authorization');
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const amzDate = headers['x-amz-date'];
  if (!amzDate || !amzDate.startsWith(date)) throw new Error('x-amz-date is missing or mismatched');
  const signedAt = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  if (!Number.isFinite(signedAt) || Math.abs(now - signedAt) > 15 * 60 * 1000) {
    throw new Error('the signed request is too old or from the future');
  }
  const secret = secretFor(accessKeyId);
  if (!secret) throw new Error('the access key is not known to AWS');

  const url = new URL(request.url);
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    throw new Error('host and x-amz-date must be signed');
  }
  const canonicalHeaders = signedHeaders
    .map((name) => {
      const value = name === 'host' ? (headers.host ?? url.host) : headers[name];
      if (value === undefined) throw new Error(`signed header ${name} is missing`);
      return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalQuery = [...url.searchParams.entries()]
    .map(([key, value]) => ({ key: rfc3986(key), value: rfc3986(value) }))
    // Sorted by encoded name, then value, in code-point order as SigV4 requires.
    .sort((a, b) => compare(a.key, b.key) || compare(a.value, b.value))
    .map(({ key, value }) => `${key}=${value}`)
    .join('&');
  const canonicalRequest = [
    request.method.toUpperCase(),
    url.pathname || '/',
    canonicalQuery,
    canonicalHeaders,
    signedHeaderList,
    sha256(request.body ?? ''),
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secret}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    throw new Error('the AWS signature does not match');
  }
  return { accessKeyId, region, service, amzDate };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function hmac(key: string | Buffer, value: string): Buffer {
  return createHmac('sha256', key).update(value).digest();
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
