import type { SecretFinding } from './secret-detector';

// secretlint 13.1's AWS rule ends its pattern with `["']?\b`. A word boundary cannot follow
// `/` or `+`, so a secret access key whose last character is one of them (about 1 in 32 real
// keys: AWS keys are base64) is never reported, quoted or not. Measured here:
// `aws_secret_access_key = "<39 chars>/"` -> no finding. This is the same pattern with the
// boundary replaced by "no key character follows", and it reports only the keys secretlint
// misses, so the two never count one key twice. Written by hand because no maintained
// detector covers the gap; drop it when secretlint-rule-aws does.
const AWS = '(?:AWS|aws|Aws)?_?';
const QUOTE = `["']?`;
const CONNECT = '\\s*(?::|=>|=)\\s*';
const SECRET_KEY = new RegExp(
  `${QUOTE}${AWS}(?:SECRET|secret|Secret)_?(?:ACCESS|access|Access)_?(?:KEY|key|Key)${QUOTE}${CONNECT}${QUOTE}([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])`,
  'g',
);

/** AWS secret access keys ending in `/`, `+` or `=`, which secretlint's AWS rule misses. */
export async function detectAwsSecretKeyGap(text: string): Promise<SecretFinding[]> {
  const findings: SecretFinding[] = [];
  for (const match of text.matchAll(SECRET_KEY)) {
    const key = match[1] ?? '';
    if (!/[/+=]$/.test(key)) continue;
    const end = match.index + match[0].length;
    findings.push({ rule: 'aws', start: end - key.length, end });
  }
  return findings;
}
