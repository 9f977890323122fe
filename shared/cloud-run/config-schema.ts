import * as z from 'zod';
import { gcpSchema } from '../gcp/gcp-schema';
import { requirementSchema } from '../policy/requirement-schema';
import { NEVER_FORWARDED_HEADERS } from './never-forwarded-headers';

const headerName = z
  .string()
  .regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, 'a lower-case HTTP header name')
  .refine(
    (name) =>
      !(NEVER_FORWARDED_HEADERS as readonly string[]).includes(name) &&
      !name.startsWith('x-crossgate-'),
    { message: 'this header is never forwarded (hop-by-hop, credential or identity header)' },
  );

const methodSchema = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export type HttpMethod = z.infer<typeof methodSchema>;

/** Cloud Run services reachable through `ANY /run/{service}/{proxy+}`. */
export const cloudRunServiceSchema = z.strictObject({
  /** Service URL; the base of every forwarded request, and the ID token audience by default. */
  url: z.url({ protocol: /^https?$/ }),
  /** ID token audience when the service uses a custom audience; defaults to `url`. */
  audience: z.string().min(1).optional(),
  /** Methods callers may use; anything else is 405. */
  methods: z.array(methodSchema).min(1).default(['GET']),
  policy: requirementSchema,
  /** Upper bound of one call, retries included; the Lambda's remaining time may cut it shorter. */
  timeoutMs: z.number().int().positive().max(900_000).default(10_000),
  /** Request headers forwarded on top of the section's `requestHeaders`. */
  extraRequestHeaders: z.array(headerName).default([]),
  /** Response headers passed back on top of the section's `responseHeaders`. */
  extraResponseHeaders: z.array(headerName).default([]),
  /** Overrides the section's retry maximum for this service (0 switches retries off). */
  maxRetries: z.number().int().nonnegative().max(5).optional(),
  /**
   * For callers of kind `agent`: text and JSON answers are scrubbed of anything that looks
   * like a credential (shared/scrub, secretlint's recommended rules), replaced with
   * `[REDACTED:<rule>]`, and the counts per rule go to the audit event. People and machines
   * get the answer unchanged. Off by default: only the service's owner knows whether its
   * answers can carry secrets.
   */
  scrubForAgents: z.boolean().default(false),
});

export const cloudRunSchema = z.strictObject({
  /** The Google identity that mints ID tokens for the services (run.invoker on them only). */
  gcp: gcpSchema,
  /** Request headers forwarded to every service (lower case). Everything else is dropped. */
  requestHeaders: z
    .array(headerName)
    .default([
      'accept',
      'accept-language',
      'cache-control',
      'content-language',
      'content-type',
      'if-match',
      'if-modified-since',
      'if-none-match',
      'if-range',
      'if-unmodified-since',
      'range',
      'user-agent',
    ]),
  /** Response headers passed back to the caller (lower case). Everything else is dropped. */
  responseHeaders: z
    .array(headerName)
    .default([
      'accept-ranges',
      'cache-control',
      'content-disposition',
      'content-language',
      'content-range',
      'content-type',
      'etag',
      'expires',
      'last-modified',
      'retry-after',
      'vary',
    ]),
  /** Request bodies above this many bytes (after base64 decoding) are 413. */
  maxRequestBytes: z.number().int().positive().max(6_000_000).default(1_048_576),
  /**
   * Response bodies above this many bytes are 502. Lambda's response limit is 6 MB including
   * base64 growth (4/3) and the envelope, so the default leaves room for binary bodies.
   */
  maxResponseBytes: z.number().int().positive().max(6_000_000).default(4_000_000),
  /** Retries of idempotent methods on connection errors, 502, 503 and 504. POST never retries. */
  maxRetries: z.number().int().nonnegative().max(5).default(2),
  /** Backoff before retry n is a random delay in [0, min(maxBackoffMs, baseBackoffMs * 2^n)]. */
  baseBackoffMs: z.number().int().positive().default(100),
  maxBackoffMs: z.number().int().positive().default(1000),
  /** Kept free of the Lambda's remaining time so a 504 can still be answered. */
  deadlineMarginMs: z.number().int().nonnegative().default(1000),
  services: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,62}$/), cloudRunServiceSchema),
});

export type CloudRunConfig = z.infer<typeof cloudRunSchema>;
export type CloudRunServiceConfig = z.infer<typeof cloudRunServiceSchema>;
