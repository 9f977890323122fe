import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { detectAwsSecretKeyGap } from './aws-secret-key-gap';
import { combineDetectors, type SecretDetector, type SecretFinding } from './secret-detector';

// secretlint's profiler is on by default in the library (only its CLI turns it off since
// secretlint#1673): every lintSource call adds ~60 entries to Node's global performance timeline
// and never clears them. Measured here: +59 MB of heap after 5,300 calls, and 0.55 ms instead of
// 0.16 ms per call. A warm Lambda would grow until it died, so it is off for the whole process.
secretLintProfiler.setEnabled(false);

type SecretlintConfig = Parameters<typeof lintSource>[0]['options']['config'];

const FILTER_COMMENTS = '@secretlint/secretlint-rule-filter-comments';
const AWS = '@secretlint/secretlint-rule-aws';

/**
 * The rules of secretlint's recommended preset, each configured on its own, with two changes a
 * gateway needs:
 * - `filter-comments` is left out: it honours `secretlint-disable` comments, so the author of a
 *   patch could otherwise mark their own secret as not to be scrubbed. (Listed one by one
 *   because @secretlint/core 13.1 ignores `disabled` on a rule inside a preset.)
 * - the AWS rule also reports access key ids (`AKIA...`), so that both halves of a key pair are
 *   redacted. Its account-id check, enabled by the same option, stays silent: account ids are not
 *   secrets and appear in ordinary config (`accountId: '123456789012'`).
 */
export const recommendedConfig: SecretlintConfig = {
  rules: recommendedRules
    .filter((rule) => rule.meta.id !== FILTER_COMMENTS)
    .map((rule) =>
      rule.meta.id === AWS
        ? {
            id: rule.meta.id,
            rule,
            options: { enableIDScanRule: true },
            allowMessageIds: ['AWSAccountID'],
          }
        : { id: rule.meta.id, rule },
    ),
};

export interface SecretlintDetectorOptions {
  /** secretlint core config; default: the recommended preset as adjusted above. */
  config?: SecretlintConfig;
}

/**
 * How far past a finding's reported start its secret may sit (see locateSecret). Bounded so
 * that a value repeated far away in the text is not taken for this finding's secret.
 */
const SECRET_SEARCH_WINDOW = 4096;

/**
 * A SecretDetector over secretlint (`@secretlint/core` `lintSource`).
 *
 * @example
 *   const detect = createSecretlintDetector();
 *   await detect('token: ghp_...') // [{ rule: 'github', start: 7, end: 47 }]
 */
export function createSecretlintDetector(options: SecretlintDetectorOptions = {}): SecretDetector {
  const config = options.config ?? recommendedConfig;
  return async function detectWithSecretlint(text: string): Promise<SecretFinding[]> {
    const result = await lintSource({
      // No file path: the npm rule then checks every text (it looks at package.json and .npmrc
      // only when it has a path), and the gcp rule's p12 check, which reads its path from disk,
      // never runs. `.json` makes the gcp rule try the whole text as a service-account key file.
      source: { content: text, filePath: '', ext: '.json', contentType: 'text' },
      options: { config, noPhysicFilePath: true },
    });
    // secretlint drops a leading byte order mark before matching: its offsets start after it.
    const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return result.messages.map((message) => {
      const range: [number, number] = [message.range[0] + shift, message.range[1] + shift];
      const [start, end] = locateSecret(text, range, message.data);
      return { rule: shortRuleId(message.ruleId), start, end };
    });
  };
}

/** `@secretlint/secretlint-rule-aws` -> `aws`; ids from other rule packages keep their name. */
export function shortRuleId(ruleId: string): string {
  return ruleId.replace(/^@secretlint\/secretlint-rule-/, '').replace(/^secretlint-rule-/, '');
}

/**
 * A finding's range, corrected or extended to cover the secret the rule names in its message
 * data.
 *
 * Why: secretlint 13.1's AWS rule reports `[matchStart, matchStart + secret.length]` for
 * `aws_secret_access_key = "<40 chars>"`: the range starts at the variable name, so replacing
 * it would redact the name and leave the tail of the key in clear (upstream
 * secretlint-rule-aws src/index.ts, still so on master). Every rule puts what it found into its
 * message data (`KEY`, `TOKEN`, `ID`, ...). For each data value (8 characters or more), its
 * first occurrence from the range's start on, within a bounded window, is located: a range of
 * exactly the value's length that does not hold the value is moved onto it (that bug); any
 * other range is only ever extended, never shrunk.
 */
function locateSecret(
  text: string,
  range: [number, number],
  data: object | undefined,
): [number, number] {
  let [start, end] = range;
  for (const value of Object.values(data ?? {})) {
    if (typeof value !== 'string' || value.length < 8) continue;
    if (text.slice(range[0], range[1]) === value) continue;
    const at = text.indexOf(value, Math.max(0, range[0] - value.length + 1));
    if (at === -1 || at > range[0] + SECRET_SEARCH_WINDOW) continue;
    if (range[1] - range[0] === value.length) {
      [start, end] = [at, at + value.length];
    } else {
      start = Math.min(start, at);
      end = Math.max(end, at + value.length);
    }
  }
  return [start, end];
}

let defaultDetector: SecretDetector | undefined;

/**
 * The detector used when none is injected, created once per container: secretlint's
 * recommended rules, plus the AWS keys its AWS rule misses (aws-secret-key-gap.ts).
 */
export function defaultSecretDetector(): SecretDetector {
  defaultDetector ??= combineDetectors(createSecretlintDetector(), detectAwsSecretKeyGap);
  return defaultDetector;
}
