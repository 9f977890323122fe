import type { CfnTemplate } from './package-service';

export interface PolicyStatement {
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

export interface LocatedStatement {
  /** Logical id of the role or policy resource that holds the statement. */
  owner: string;
  statement: PolicyStatement;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Both branches of `Fn::If`, so a conditional statement is checked either way it resolves. */
function expandConditionals(value: unknown): unknown[] {
  if (value && typeof value === 'object' && 'Fn::If' in value) {
    const [, whenTrue, whenFalse] = (value as { 'Fn::If': unknown[] })['Fn::If'];
    return [...expandConditionals(whenTrue), ...expandConditionals(whenFalse)];
  }
  if (value && typeof value === 'object' && 'Ref' in value) {
    return (value as { Ref: string }).Ref === 'AWS::NoValue' ? [] : [value];
  }
  return [value];
}

/** Every IAM statement of every role, inline policy and managed policy in the template. */
export function iamStatements(template: CfnTemplate): LocatedStatement[] {
  const located: LocatedStatement[] = [];
  for (const [owner, resource] of Object.entries(template.Resources)) {
    const documents: unknown[] = [];
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of asArray(resource.Properties.Policies as unknown[])) {
        documents.push((policy as { PolicyDocument: unknown }).PolicyDocument);
      }
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      documents.push(resource.Properties.PolicyDocument);
    }
    for (const document of documents) {
      for (const entry of asArray((document as { Statement: unknown }).Statement)) {
        for (const statement of expandConditionals(entry)) {
          located.push({ owner, statement: statement as PolicyStatement });
        }
      }
    }
  }
  return located;
}

const guardedServices = ['secretsmanager', 'kms', 'sts'];

/** The actions a statement grants, `NotAction` counted as everything. */
function grantedActions(statement: PolicyStatement): string[] {
  return statement.NotAction !== undefined ? ['*'] : asArray(statement.Action);
}

function touchesGuardedService(statement: PolicyStatement): boolean {
  return grantedActions(statement).some(
    // IAM action names are case-insensitive.
    (action) =>
      action === '*' || guardedServices.includes(action.toLowerCase().split(':')[0] ?? ''),
  );
}

/**
 * Statements that grant a Secrets Manager, KMS or STS action (or `*`) on a resource pattern
 * containing `*`, or through `NotResource`. Resources are CloudFormation values; each is
 * checked as the JSON it is written in, so `!Sub ...:secret:*` is caught too.
 */
export function wildcardSecretStatements(template: CfnTemplate): LocatedStatement[] {
  return iamStatements(template).filter(
    ({ statement }) =>
      statement.Effect === 'Allow' &&
      touchesGuardedService(statement) &&
      (statement.NotResource !== undefined ||
        asArray(statement.Resource).some((resource) => JSON.stringify(resource).includes('*'))),
  );
}

const readOnlySecretActions = new Set(['secretsmanager:getsecretvalue']);

/** Statements that let a role do anything with Secrets Manager beyond reading a value. */
export function secretWriteStatements(template: CfnTemplate): LocatedStatement[] {
  return iamStatements(template).filter(
    ({ statement }) =>
      statement.Effect === 'Allow' &&
      grantedActions(statement).some(
        (action) =>
          action === '*' ||
          (action.toLowerCase().startsWith('secretsmanager:') &&
            !readOnlySecretActions.has(action.toLowerCase())),
      ),
  );
}
