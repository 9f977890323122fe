import * as z from 'zod';
import { requirementSchema } from '../policy/requirement-schema';
import { knownGerritEndpoint } from './gerrit-endpoints';

export const gerritEndpointSchema = z.strictObject({
  method: z.enum(['GET', 'POST']),
  /** Gerrit's path after `/a`, with `{id}`, `{rev}`, `{file}`, `{group}` for its parameters. */
  path: z.string().regex(/^\/[A-Za-z0-9_./{}-]*$/, 'a Gerrit path such as /changes/{id}/detail'),
  policy: requirementSchema,
  /**
   * Gerrit groups (name or UUID) the caller must also belong to, checked through Gerrit's
   * groups API as the caller (`GET /a/accounts/self/groups`) and cached for `groupCacheTtlSeconds`.
   */
  gerritGroups: z.array(z.string().min(1)).default([]),
});

/** A vote such as `2`, `+2` or `-1`. */
const voteKey = z.string().regex(/^[+-]?\d{1,3}$/, 'a vote such as +2, 1 or -1');

/** One label callers may vote on through `POST .../review`. */
export const gerritLabelSchema = z
  .strictObject({
    min: z.number().int().min(-99),
    max: z.number().int().max(99),
    /** Who may vote on this label at all; when absent, whoever the review route lets in. */
    policy: requirementSchema.optional(),
    /** Extra requirement per vote value, e.g. `{ "+2": { "group": "release-managers" } }`. */
    values: z.record(voteKey, requirementSchema).default({}),
  })
  .refine((label) => label.min <= label.max, { message: 'min must not exceed max' });

/**
 * Which Gerrit account a caller acts as (`X-Gerrit-RunAs`). The account is the principal's
 * `claim`, looked up in `map` first; `null` in the map means "this caller has no Gerrit
 * account". With `unmapped: "deny"`, only callers listed in `map` have one.
 */
export const gerritAccountSchema = z.strictObject({
  claim: z.enum(['username', 'email', 'subject', 'clientId']).default('username'),
  map: z.record(z.string().min(1), z.string().min(1).nullable()).default({}),
  unmapped: z.enum(['passthrough', 'deny']).default('passthrough'),
});

/** The Gerrit server and the policy of each Gerrit endpoint reachable under `/gerrit/a/`. */
export const gerritSchema = z.strictObject({
  baseUrl: z.url(),
  /** Secrets Manager id of the service account's HTTP credentials: `{"username","password"}`. */
  credentialsSecretId: z.string().min(1),
  account: gerritAccountSchema.prefault({}),
  /** Upper bound of one route's Gerrit calls, retries included; the Lambda's remaining time may cut it shorter. */
  timeoutMs: z.number().int().positive().max(900_000).default(10_000),
  /** GETs answered 429 are retried (honouring Retry-After) up to this many attempts in all, within the deadline. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** First backoff delay of those retries; doubled per attempt. */
  retryBaseDelayMs: z.number().int().nonnegative().max(10_000).default(200),
  /** `GET /a/changes/`: `n` is capped at this, and is this when absent. */
  maxChanges: z.number().int().positive().max(1000).default(100),
  /** Longest review message, and longest inline comment message (Gerrit's default commentSizeLimit). */
  maxMessageLength: z.number().int().positive().default(16_384),
  /** Most inline comments in one review. */
  maxComments: z.number().int().positive().default(500),
  /** Largest request body accepted by review and submit. */
  maxBodyBytes: z.number().int().positive().default(262_144),
  /** How long a caller's Gerrit group memberships are cached per container. */
  groupCacheTtlSeconds: z.number().int().nonnegative().max(3600).default(60),
  /** Labels callers may vote on; any other label is refused with 400. */
  labels: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), gerritLabelSchema).default({}),
  /**
   * The Gerrit REST endpoints callers may reach under `/gerrit/a/...`, each with its policy.
   * Anything not listed is 404. Each entry must be an endpoint the gateway knows how to guard
   * (gerrit-endpoints.ts): its ids are checked, its body validated, its answer scrubbed for agents.
   */
  endpoints: z
    .array(gerritEndpointSchema)
    .min(1)
    .superRefine((endpoints, context) => {
      const seen = new Set<string>();
      endpoints.forEach((endpoint, index) => {
        const known = knownGerritEndpoint(endpoint.method, endpoint.path);
        if (!known) {
          context.addIssue({
            code: 'custom',
            path: [index, 'path'],
            message: `${endpoint.method} ${endpoint.path} is not a Gerrit endpoint crossgate knows how to guard (shared/gerrit/gerrit-endpoints.ts)`,
          });
          return;
        }
        const key = `${known.method} ${known.path}`;
        if (seen.has(key)) {
          context.addIssue({
            code: 'custom',
            path: [index, 'path'],
            message: `${key} is listed twice`,
          });
        }
        seen.add(key);
      });
    }),
  /** Projects agents never see: 404 on their changes, left out of project lists and queries. */
  sensitiveProjects: z.array(z.string().min(1)).default([]),
});
export type GerritConfig = z.infer<typeof gerritSchema>;
export type GerritEndpointConfig = z.infer<typeof gerritEndpointSchema>;
export type GerritLabelConfig = z.infer<typeof gerritLabelSchema>;
export type GerritAccountConfig = z.infer<typeof gerritAccountSchema>;
