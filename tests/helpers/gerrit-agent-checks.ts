import { parseGerritJson } from '../../shared/gerrit/gerrit-json';

/** The secret values of the seeded credential change, read from a clear (person's) diff. */
export interface SeededSecrets {
  awsSecretAccessKey: string;
  awsAccessKeyId: string;
  pemBody: string;
}

interface DiffJson {
  content: { a?: string[]; b?: string[]; ab?: string[] }[];
}

/** The added lines of a Gerrit diff answer (`)]}'` JSON). */
export function addedLines(diffAnswer: string): string[] {
  const diff = parseGerritJson(diffAnswer) as DiffJson;
  return diff.content.flatMap((chunk) => chunk.b ?? []);
}

/** The AWS key pair as written in the seeded `deploy/aws-credentials` file. */
export function awsSecretsOf(lines: readonly string[]): Omit<SeededSecrets, 'pemBody'> {
  const value = (name: string) =>
    lines.find((line) => line.startsWith(`${name} = `))?.slice(name.length + 3) ?? '';
  return {
    awsAccessKeyId: value('aws_access_key_id'),
    awsSecretAccessKey: value('aws_secret_access_key'),
  };
}
