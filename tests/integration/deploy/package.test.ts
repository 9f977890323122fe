import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeAuthorizerResult } from '../../../shared/core/edge-authorizer';
import {
  artifactEntries,
  artifactText,
  invokeArtifact,
  unpackArtifact,
} from '../../helpers/artifact-runner';
import {
  iamStatements,
  secretWriteStatements,
  wildcardSecretStatements,
} from '../../helpers/iam-policy';
import {
  packageService,
  resourcesOfType,
  runOsls,
  type CfnTemplate,
  type PackagedService,
} from '../../helpers/package-service';
import { httpApiEvent } from '../../helpers/lambda-event';
import { testStack, token } from '../../helpers/stack';

/**
 * What `npm run package` produces, checked without an AWS account: the CloudFormation
 * template osls writes and the zips beside it. The dev stage is packaged with the values of
 * the running test stack, so its artifacts can answer real requests; the prod example stage
 * with the placeholder values a deployer would export (none of them secret).
 */

/** Values a prod deployer exports (docs/deploy.md); examples, not real resources. */
const prodEnv = {
  // Example issuers: no request for their keys leaves the machine (deploy/embedded-jwks-plugin.mjs).
  CROSSGATE_EMBED_JWKS: 'off',
  CROSSGATE_REGION: 'eu-west-1',
  CROSSGATE_COGNITO_USER_POOL_ID: 'eu-west-1_Example42',
  CROSSGATE_COGNITO_CLIENT_ID: 'example-app-client',
  CROSSGATE_OIDC_ISSUER: 'https://idp.example.com',
  CROSSGATE_OIDC_JWKS_URI: 'https://idp.example.com/.well-known/jwks.json',
  CROSSGATE_BACKSTAGE_ISSUER: 'https://backstage.example.test/api/auth',
  CROSSGATE_BACKSTAGE_JWKS_URI: 'https://backstage.example.test/api/auth/.well-known/jwks.json',
  CROSSGATE_ECHO_URL: 'https://echo-abc123-ew.a.run.app',
  CROSSGATE_LEDGER_URL: 'https://ledger-abc123-ew.a.run.app',
  CROSSGATE_ISSUER_URL: 'https://gateway.example.com',
  CROSSGATE_GERRIT_URL: 'https://gerrit.example.com',
  CROSSGATE_SPANNER_PROJECT: 'example-project',
  CROSSGATE_SPANNER_INSTANCE: 'example-instance',
  CROSSGATE_SPANNER_DATABASE: 'example-db',
};

/** The prod example with every optional param on: tracing, a KMS key, an alarm topic. */
const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const optionsArgs = ['--param', 'activeTracing=true', '--param', `secretsKmsKeyArn=${kmsKeyArn}`];

/**
 * Per function: memory and timeout from params (defaults), the secrets its role may read
 * (names, as the stage params give them: `gcp` stands for the stage's Google secret of that
 * backend) and the packages its bundle must not contain.
 * A function added to serverless.yml must be added here; the tests below fail until it is.
 */
const expectedFunctions: Record<
  string,
  { memorySize: number; timeout: number; secrets: string[]; forbidden: string[] }
> = {
  authorizer: {
    memorySize: 256,
    timeout: 10,
    secrets: [],
    forbidden: [
      'google-auth-library',
      '@google-cloud/spanner',
      'google-gax',
      '@aws-sdk/client-secrets-manager',
      // The config was validated when it was compiled (issue 16): no schema at start.
      'zod',
    ],
  },
  health: {
    memorySize: 256,
    timeout: 5,
    secrets: [],
    forbidden: [
      'google-auth-library',
      '@google-cloud/spanner',
      'google-gax',
      '@aws-sdk/client-secrets-manager',
      // The config was validated when it was compiled (issue 16): no schema at start.
      'zod',
    ],
  },
  me: {
    memorySize: 256,
    timeout: 10,
    secrets: [],
    forbidden: [
      'google-auth-library',
      '@google-cloud/spanner',
      'google-gax',
      '@aws-sdk/client-secrets-manager',
      // The config was validated when it was compiled (issue 16): no schema at start.
      'zod',
    ],
  },
  jwks: {
    memorySize: 256,
    timeout: 5,
    secrets: ['crossgate/assertion-keys'],
    forbidden: ['google-auth-library', '@google-cloud/spanner', 'google-gax'],
  },
  run: {
    memorySize: 512,
    timeout: 15,
    secrets: ['gcp:run', 'crossgate/assertion-keys'],
    forbidden: [
      '@google-cloud/spanner',
      'google-gax',
      // google-auth-library's clients come from their own modules (shared/gcp/google-auth-clients.ts):
      // what only its index requires stays out.
      'gcp-metadata',
      'bignumber.js',
      // A fallback Node 22 never runs (deploy/absent-fallbacks-plugin.mjs).
      'web-streams-polyfill',
    ],
  },
  spanner: {
    memorySize: 1024,
    timeout: 20,
    // The mask key: HMAC key of Spanner hash masks (docs/spanner.md).
    secrets: ['gcp:spanner', 'crossgate/spanner-mask-key'],
    forbidden: [],
  },
  gerrit: {
    memorySize: 256,
    timeout: 15,
    secrets: ['crossgate/gerrit-http-credentials'],
    forbidden: ['google-auth-library', '@google-cloud/spanner', 'google-gax'],
  },
};

/** Secret names a stage gives each backend (serverless.yml params). */
function secretName(stage: string, name: string): string {
  if (!name.startsWith('gcp:')) return name;
  // The offline stack seeds one Google secret; both backends read it there.
  if (stage === 'dev') return testStack().lambdaEnv?.CROSSGATE_GCP_SECRET_ID ?? '';
  return `crossgate/${name.slice(4)}-gcp-credentials`;
}

let dev: PackagedService;
let prod: PackagedService;
let prodWithOptions: PackagedService;

beforeAll(async () => {
  const lambdaEnv = testStack().lambdaEnv;
  if (!lambdaEnv) throw new Error('the test stack published no lambdaEnv');
  [dev, prod, prodWithOptions] = await Promise.all([
    // Generous: three packagings share two cores with whatever else the machine runs.
    packageService({ stage: 'dev', env: lambdaEnv, timeoutMs: 540_000 }),
    packageService({ stage: 'prod', env: prodEnv, timeoutMs: 540_000 }),
    packageService({ stage: 'prod', env: prodEnv, args: optionsArgs, timeoutMs: 540_000 }),
  ]);
  console.log(
    `osls package: dev ${dev.seconds} s, prod ${prod.seconds} s, prod with options ${prodWithOptions.seconds} s (in parallel)`,
  );
}, 600_000);

afterAll(() => {
  dev?.cleanup();
  prod?.cleanup();
  prodWithOptions?.cleanup();
});

/** cfn-lint on a packaged template, from the project root so .cfnlintrc.yaml applies. */
function cfnLint(templateFile: string): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'cfn-lint',
      ['-t', templateFile],
      { cwd: join(import.meta.dirname, '../../..'), timeout: 120_000 },
      (error, stdout, stderr) => {
        const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ exitCode, output: `${stdout}${stderr}` });
      },
    );
  });
}

const functionsOf = (template: CfnTemplate) =>
  resourcesOfType(template, 'AWS::Lambda::Function').map(([logicalId, resource]) => ({
    logicalId,
    name: String(resource.Properties.FunctionName).replace(/^crossgate-[a-z]+-/, ''),
    properties: resource.Properties,
  }));

const routesOf = (template: CfnTemplate) =>
  resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([logicalId, resource]) => ({
    logicalId,
    routeKey: String(resource.Properties.RouteKey),
    properties: resource.Properties,
  }));

describe.each([
  ['dev', () => dev],
  ['prod', () => prod],
])('the packaged %s stage', (stage, packaged) => {
  it('has one function per expected function, and nothing else', () => {
    expect(
      functionsOf(packaged().template)
        .map((f) => f.name)
        .sort(),
    ).toEqual(Object.keys(expectedFunctions).sort());
  });

  it('edge: the Lambda REQUEST authorizer guards every route but /health, the JWKS and Gerrit', () => {
    const { template } = packaged();
    const authorizers = resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] ?? [];
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      IdentitySource: ['$request.header.Authorization'],
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      AuthorizerResultTtlInSeconds: 300,
    });
    // The authorizer function of this stack, which API Gateway may invoke.
    expect(JSON.stringify(authorizer?.Properties.AuthorizerUri)).toContain(
      '"Fn::GetAtt":["AuthorizerLambdaFunction","Arn"]',
    );
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
      ([, permission]) =>
        JSON.stringify(permission.Properties.FunctionName).includes('AuthorizerLambdaFunction'),
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.[1].Properties.Principal).toBe('apigateway.amazonaws.com');

    const routes = routesOf(template);
    // Public by design: health checks, and the keys backends verify the caller assertion with.
    // Gerrit clients may send Basic with the token as password, which the edge does not read;
    // the gerrit function verifies every token itself (docs/gerrit.md, "Credentials").
    const publicRoutes = ['GET /health', 'GET /.well-known/jwks.json', 'ANY /gerrit/a/{proxy+}'];
    expect(routes.map((route) => route.routeKey)).toEqual(expect.arrayContaining(publicRoutes));
    for (const route of routes) {
      if (publicRoutes.includes(route.routeKey)) {
        expect(route.properties.AuthorizationType, route.routeKey).toBeUndefined();
        expect(route.properties.AuthorizerId, route.routeKey).toBeUndefined();
      } else {
        expect(route.properties.AuthorizationType, route.routeKey).toBe('CUSTOM');
        expect(route.properties.AuthorizerId, route.routeKey).toEqual({ Ref: authorizerId });
      }
      // No route of its own for preflights: API Gateway answers them from the CORS settings.
      expect(route.routeKey.startsWith('OPTIONS '), route.routeKey).toBe(false);
    }
  });

  it('edge: CORS for the configured origins only, with the headers the gateway reads and sets', () => {
    const [[, api] = []] = resourcesOfType(packaged().template, 'AWS::ApiGatewayV2::Api');
    expect(api?.Properties.CorsConfiguration).toMatchObject({
      AllowOrigins: stage === 'dev' ? ['http://localhost:3000'] : [],
      AllowHeaders: expect.arrayContaining(['authorization', 'x-correlation-id', 'traceparent']),
      ExposeHeaders: expect.arrayContaining(['x-correlation-id']),
    });
  });

  it('edge: stage throttling and per-route overrides come from the params, for routes that exist', () => {
    const { template } = packaged();
    const [stageResource] = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
    const properties = stageResource?.[1].Properties as {
      DefaultRouteSettings: Record<string, unknown>;
      RouteSettings: Record<string, Record<string, unknown>>;
    };
    expect(properties.DefaultRouteSettings).toMatchObject(
      stage === 'dev'
        ? { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }
        : { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    );
    expect(properties.RouteSettings).toEqual(
      stage === 'dev' ? {} : { 'GET /me': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 } },
    );
    // API Gateway rejects settings for a route it does not have yet: the stage waits for all.
    const routes = routesOf(template);
    for (const routeKey of Object.keys(properties.RouteSettings)) {
      expect(routes.map((route) => route.routeKey)).toContain(routeKey);
    }
    const dependsOn = [stageResource?.[1].DependsOn ?? []].flat();
    for (const route of routes) expect(dependsOn, route.routeKey).toContain(route.logicalId);
  });

  it('edge: access logs go, as JSON with the request ids, to a log group with retention', () => {
    const { template } = packaged();
    const [stageResource] = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
    const settings = stageResource?.[1].Properties.AccessLogSettings as {
      DestinationArn: { 'Fn::GetAtt': [string, string] };
      Format: string;
    };
    const [logGroupId] = settings.DestinationArn['Fn::GetAtt'];
    expect(template.Resources[logGroupId]?.Type).toBe('AWS::Logs::LogGroup');
    expect(template.Resources[logGroupId]?.Properties.RetentionInDays).toBe(
      stage === 'dev' ? 30 : 90,
    );
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      integrationRequestId: '$context.integration.requestId',
      status: '$context.status',
      routeKey: '$context.routeKey',
      authorizerError: '$context.authorizer.error',
    });
    // HTTP API access logs accept $context variables only; anything else fails the deploy.
    for (const [field, value] of Object.entries(format)) {
      expect(value, field).toMatch(/^\$context\.[A-Za-z_.]+$/);
    }
  });

  it('logs: every log group is retained when the stack is deleted or replaced', () => {
    const logGroups = resourcesOfType(packaged().template, 'AWS::Logs::LogGroup');
    // One per function and the access log group.
    expect(logGroups).toHaveLength(Object.keys(expectedFunctions).length + 1);
    for (const [logicalId, logGroup] of logGroups) {
      expect(logGroup, logicalId).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });

  it('alarms: on 5xx, throttles of every function and authorizer failures, in prod only', () => {
    const { template } = packaged();
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
    if (stage === 'dev') {
      expect(alarms).toEqual([]);
      return;
    }
    expect(alarms.map(([id]) => id).sort()).toEqual([
      'Api5xxAlarm',
      'AuthorizerFailuresAlarm',
      'LambdaThrottlesAlarm',
    ]);
    expect(template.Resources.Api5xxAlarm?.Properties).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: expect.arrayContaining([{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }]),
    });
    const throttled = (
      template.Resources.LambdaThrottlesAlarm?.Properties.Metrics as {
        MetricStat?: { Metric: { MetricName: string; Dimensions: { Value: unknown }[] } };
      }[]
    )
      .filter((metric) => metric.MetricStat?.Metric.MetricName === 'Throttles')
      .map((metric) => metric.MetricStat?.Metric.Dimensions[0]?.Value);
    expect(throttled).toEqual(
      expect.arrayContaining(functionsOf(template).map((fn) => ({ Ref: fn.logicalId }))),
    );
    const [[, filter] = []] = resourcesOfType(template, 'AWS::Logs::MetricFilter');
    expect(filter?.Properties.LogGroupName).toEqual({ Ref: 'AuthorizerLogGroup' });
    // The line the authorizer writes when it fails (not when it refuses a token).
    expect(filter?.Properties.FilterPattern).toBe('{ $.message = "edge authorizer failed" }');
  });

  it('optional: no X-Ray and no KMS permission unless their params ask for them', () => {
    const { template } = packaged();
    for (const fn of functionsOf(template)) expect(fn.properties.TracingConfig).toBeUndefined();
    expect(resourcesOfType(template, 'AWS::IAM::Policy')).toEqual([]);
  });

  it('cfn-lint: no error and no warning beyond the documented noise (.cfnlintrc.yaml)', async () => {
    const templateFile = join(packaged().outputDir, 'cloudformation-template-update-stack.json');
    const result = await cfnLint(templateFile);
    expect(result.output).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('lambda: arm64, Node 22, memory and timeout from params, JSON logs, log group with retention', () => {
    const { template } = packaged();
    for (const fn of functionsOf(template)) {
      const expected = expectedFunctions[fn.name];
      expect(expected, `${fn.name} is not in expectedFunctions`).toBeDefined();
      expect(fn.properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: expected?.memorySize,
        Timeout: expected?.timeout,
        LoggingConfig: { LogFormat: 'JSON' },
      });
      // API Gateway gives up on an integration after 30 s.
      expect(fn.properties.Timeout as number).toBeLessThanOrEqual(29);
      const logGroup = template.Resources[`${fn.logicalId.replace(/LambdaFunction$/, '')}LogGroup`];
      expect(logGroup?.Properties).toMatchObject({
        LogGroupName: `/aws/lambda/crossgate-${stage}-${fn.name}`,
        RetentionInDays: stage === 'dev' ? 30 : 90,
      });
    }
  });

  it('iam: one role per function, assumable by Lambda only, with no shared default role', () => {
    const { template } = packaged();
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    const roles = functionsOf(template).map(
      (fn) => (fn.properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
    );
    expect(new Set(roles).size).toBe(roles.length);
    for (const role of roles) {
      const resource = template.Resources[role];
      expect(resource?.Type).toBe('AWS::IAM::Role');
      expect(resource?.Properties.ManagedPolicyArns, role).toBeUndefined();
      expect(resource?.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      });
    }
  });

  it('iam: each role writes its own log group and reads only its own secrets, by ARN', () => {
    const { template } = packaged();
    const statements = iamStatements(template);
    for (const fn of functionsOf(template)) {
      const role = (fn.properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const own = statements.filter((entry) => entry.owner === role).map((e) => e.statement);
      const logGroupId = `${fn.logicalId.replace(/LambdaFunction$/, '')}LogGroup`;
      const logs = own.filter((s) => [s.Action].flat().some((a) => a?.startsWith('logs:')));
      expect(logs.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [logGroupId, 'Arn'] }]);

      const secretResources = own
        .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
        .flatMap((s) => [s.Resource].flat());
      expect(secretResources, fn.name).toEqual(
        (expectedFunctions[fn.name]?.secrets ?? []).map((name) => ({
          'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${secretName(stage, name)}-??????`,
        })),
      );
      const otherActions = own
        .flatMap((s) => [s.Action].flat())
        .filter(
          (action) =>
            ![
              'logs:CreateLogStream',
              'logs:PutLogEvents',
              'secretsmanager:GetSecretValue',
            ].includes(action ?? '') && action !== 'kms:Decrypt',
        );
      expect(otherActions, fn.name).toEqual([]);
    }
  });

  it('iam: no secretsmanager, kms or sts statement has a `*` resource, and none writes secrets', () => {
    const { template } = packaged();
    expect(wildcardSecretStatements(template)).toEqual([]);
    expect(secretWriteStatements(template)).toEqual([]);
  });
});

describe('the production options', () => {
  const envOf = (template: CfnTemplate, name: string) =>
    (
      functionsOf(template).find((fn) => fn.name === name)?.properties.Environment as {
        Variables: Record<string, string>;
      }
    ).Variables;

  it('one Google identity per backend: run and spanner read different secrets, each its own', () => {
    const { template } = prod;
    expect(envOf(template, 'run')).toMatchObject({
      CROSSGATE_RUN_GCP_SECRET_ID: 'crossgate/run-gcp-credentials',
    });
    expect(envOf(template, 'run').CROSSGATE_SPANNER_GCP_SECRET_ID).toBeUndefined();
    expect(envOf(template, 'spanner')).toMatchObject({
      CROSSGATE_SPANNER_GCP_SECRET_ID: 'crossgate/spanner-gcp-credentials',
    });
    expect(envOf(template, 'spanner').CROSSGATE_RUN_GCP_SECRET_ID).toBeUndefined();
    // No function but these two is told about a Google secret.
    for (const fn of functionsOf(template)) {
      if (fn.name === 'run' || fn.name === 'spanner') continue;
      expect(Object.keys(envOf(template, fn.name)).join(), fn.name).not.toMatch(/GCP_SECRET/);
    }
  });

  it('activeTracing: every function traced, and every role may write to X-Ray (and only that)', () => {
    const { template } = prodWithOptions;
    const functions = functionsOf(template);
    for (const fn of functions) {
      expect(fn.properties.TracingConfig, fn.name).toEqual({ Mode: 'Active' });
    }
    const xray = template.Resources.XRayWritePolicy;
    expect(xray?.Type).toBe('AWS::IAM::Policy');
    const roles = functions.map(
      (fn) => (fn.properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0],
    );
    expect(xray?.Properties.Roles).toEqual(
      expect.arrayContaining(roles.map((role) => ({ Ref: role }))),
    );
    expect(iamStatements(template).filter((s) => s.owner === 'XRayWritePolicy')).toEqual([
      {
        owner: 'XRayWritePolicy',
        statement: {
          Effect: 'Allow',
          Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          Resource: '*',
        },
      },
    ]);
  });

  it('secretsKmsKeyArn: the roles that read secrets may decrypt with that key, through Secrets Manager only', () => {
    const { template } = prodWithOptions;
    const kms = template.Resources.SecretsKmsDecryptPolicy;
    expect(kms?.Properties.Roles).toEqual([
      { Ref: 'JwksRole' },
      { Ref: 'RunRole' },
      { Ref: 'SpannerRole' },
      { Ref: 'GerritRole' },
    ]);
    expect(iamStatements(template).filter((s) => s.owner === 'SecretsKmsDecryptPolicy')).toEqual([
      {
        owner: 'SecretsKmsDecryptPolicy',
        statement: {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: kmsKeyArn,
          Condition: {
            StringEquals: {
              'kms:ViaService': { 'Fn::Sub': 'secretsmanager.${AWS::Region}.amazonaws.com' },
            },
          },
        },
      },
    ]);
    expect(wildcardSecretStatements(template)).toEqual([]);
  });

  it('cfn-lint: the template with every option on is clean too', async () => {
    const result = await cfnLint(
      join(prodWithOptions.outputDir, 'cloudformation-template-update-stack.json'),
    );
    expect(result.output).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('error flow: `osls deploy` without --stage (the offline stage) is refused before any AWS call', async () => {
    for (const args of [
      ['deploy'],
      ['deploy', '--stage', 'dev'],
      ['deploy', 'function', '-f', 'me'],
    ]) {
      const run = await runOsls(args);
      expect(run.exitCode, args.join(' ')).not.toBe(0);
      expect(run.output, args.join(' ')).toContain('Stage "dev" is offline only');
      // Refused before packaging: nothing was built.
      expect(run.packaged, args.join(' ')).toBe(false);
    }
  }, 240_000);
});

describe('the IAM checks themselves', () => {
  const templateWith = (statement: unknown): CfnTemplate => ({
    Resources: {
      SomeRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [statement] } }],
        },
      },
    },
  });

  it('error flow: wildcards on secretsmanager, kms and sts are caught, in Sub and in Fn::If too', () => {
    const bad = [
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:1:secret:*' },
      },
      { Effect: 'Allow', Action: 'STS:AssumeRole', Resource: 'arn:aws:iam::1:role/*' },
      {
        'Fn::If': [
          'Cond',
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' },
          { Ref: 'AWS::NoValue' },
        ],
      },
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
    ];
    for (const statement of bad) {
      expect(
        wildcardSecretStatements(templateWith(statement)),
        JSON.stringify(statement),
      ).toHaveLength(1);
    }
    expect(
      wildcardSecretStatements(
        templateWith({ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: 'arn:x:*' }),
      ),
    ).toEqual([]);
  });

  it('error flow: any Secrets Manager action but GetSecretValue counts as writing', () => {
    for (const action of ['secretsmanager:PutSecretValue', 'secretsmanager:*', '*']) {
      expect(
        secretWriteStatements(templateWith({ Effect: 'Allow', Action: action, Resource: 'arn:a' })),
        action,
      ).toHaveLength(1);
    }
    expect(
      secretWriteStatements(
        templateWith({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'a' }),
      ),
    ).toEqual([]);
  });
});

describe('the packaged artifacts', () => {
  /** Top-level package names a bundle was built from, read from its source map. */
  async function bundledPackages(zipFile: string, handler: string): Promise<Set<string>> {
    const file = `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`;
    const map = JSON.parse(await artifactText(zipFile, `${file}.map`)) as { sources: string[] };
    const packages = new Set<string>();
    for (const source of map.sources) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
      if (match?.[1]) packages.add(match[1]);
    }
    return packages;
  }

  it('each function is one ESM bundle with only the packages it imports', async () => {
    for (const fn of functionsOf(dev.template)) {
      const zipFile = dev.artifacts[fn.name] as string;
      const handler = String(fn.properties.Handler);
      const entries = await artifactEntries(zipFile);
      const bundle = `${handler.slice(0, handler.lastIndexOf('.'))}.mjs`;
      expect(entries, fn.name).toContain(bundle);
      expect(entries.filter((e) => !e.startsWith('node_modules/')).sort(), fn.name).toEqual(
        [bundle, `${bundle}.map`].sort(),
      );
      const packages = await bundledPackages(zipFile, handler);
      // Positive control: the source map is read right (every function runs the middy chain;
      // the authorizer is plain, and verifies tokens).
      expect(packages, fn.name).toContain(
        fn.name === 'authorizer' ? 'aws-jwt-verify' : '@middy/core',
      );
      const text = await artifactText(zipFile, bundle);
      // Node's builtins are required, never imported as ESM (deploy/require-builtins-plugin.mjs),
      // except the three the banner imports to make `require` itself.
      const importedBuiltins = [...text.matchAll(/\bfrom\s*["']((?:node:)?[a-z_/]+)["']/g)]
        .map((match) => match[1] as string)
        .filter((specifier) => isBuiltin(specifier));
      expect(new Set(importedBuiltins), fn.name).toEqual(
        new Set(['node:module', 'node:url', 'node:path']),
      );
      for (const forbidden of expectedFunctions[fn.name]?.forbidden ?? []) {
        expect(packages.has(forbidden), `${fn.name} bundles ${forbidden}`).toBe(false);
        expect(entries.some((e) => e.startsWith(`node_modules/${forbidden}/`))).toBe(false);
        // Nor imported at run time (an external left out of the zip would fail only in AWS).
        const escaped = forbidden.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        const runtimeImport = new RegExp(`(?:from|import|require)\\s*\\(?\\s*["']${escaped}["'/]`);
        expect(runtimeImport.test(text), `${fn.name} imports ${forbidden}`).toBe(false);
      }
    }
  });

  it('the spanner artifact ships only what runs, under 8 MB zipped', async () => {
    for (const packaged of [dev, prod]) {
      const zipFile = packaged.artifacts.spanner as string;
      const megabytes = statSync(zipFile).size / 1024 / 1024;
      console.log(`spanner artifact (${packaged.stage}): ${megabytes.toFixed(1)} MB zipped`);
      expect(megabytes).toBeLessThan(8);
      const modules = (await artifactEntries(zipFile)).filter((e) => e.startsWith('node_modules/'));
      // Positive control: the client is there.
      expect(modules).toContain('node_modules/@google-cloud/spanner/package.json');
      expect(modules.filter((e) => /\.d\.[cm]?ts$|\.map$/.test(e))).toEqual([]);
      // serverless-esbuild matches an excluded file by its path without extension, so the
      // extensionless LICENSE files of excluded packages stay (a few KB); no code does.
      for (const buildTime of ['@babel/', 'caniuse-lite/', '@types/', 'web-streams-polyfill/']) {
        const shipped = modules.filter(
          (e) => e.startsWith(`node_modules/${buildTime}`) && !/\/licen[cs]e$/i.test(e),
        );
        expect(shipped, buildTime).toEqual([]);
      }
    }
  });

  it('each artifact loads in a fresh Node 22 process outside the repository', async () => {
    for (const fn of functionsOf(dev.template)) {
      const unpacked = await unpackArtifact(dev.artifacts[fn.name] as string);
      try {
        const result = await invokeArtifact({
          dir: unpacked.dir,
          handler: String(fn.properties.Handler),
          functionName: String(fn.properties.FunctionName),
          env: (fn.properties.Environment as { Variables: Record<string, string> }).Variables,
        });
        expect(result.response).toBeNull();
      } finally {
        unpacked.remove();
      }
    }
  });

  /** One request per function against the test stack's backends, through its bundle. */
  const requests: Record<
    string,
    () => Promise<{
      routeKey: string;
      path: string;
      headers?: Record<string, string>;
      body?: string;
      pathParameters?: Record<string, string>;
      /** The request's method where the route key says ANY. */
      method?: string;
      check: (status: number, body: Record<string, unknown>) => void;
    }>
  > = {
    health: async () => ({
      routeKey: 'GET /health',
      path: '/health',
      check: (status, body) => {
        expect(status).toBe(200);
        expect(body).toMatchObject({ status: 'ok', name: 'crossgate' });
      },
    }),
    jwks: async () => ({
      routeKey: 'GET /.well-known/jwks.json',
      path: '/.well-known/jwks.json',
      check: (status, body) => {
        expect(status).toBe(200);
        const keys = body.keys as Record<string, unknown>[];
        expect(keys.length).toBeGreaterThan(0);
        for (const key of keys) expect(key).not.toHaveProperty('d');
      },
    }),
    me: async () => ({
      routeKey: 'GET /me',
      path: '/me',
      headers: { authorization: `Bearer ${await token('alice')}` },
      check: (status, body) => {
        expect(status).toBe(200);
        expect(body).toMatchObject({
          principal: { username: 'alice', kind: 'person', issuerName: 'cognito' },
        });
      },
    }),
    run: async () => ({
      routeKey: 'ANY /run/{service}/{proxy+}',
      path: '/run/echo/hello',
      headers: { authorization: `Bearer ${await token('alice')}` },
      pathParameters: { service: 'echo', proxy: 'hello' },
      method: 'GET',
      check: (status, body) => {
        expect(status).toBe(200);
        expect(body).toMatchObject({ method: 'GET' });
      },
    }),
    spanner: async () => ({
      routeKey: 'POST /spanner/{query}',
      path: '/spanner/listSingers',
      headers: { authorization: `Bearer ${await token('alice')}` },
      body: JSON.stringify({ params: {} }),
      pathParameters: { query: 'listSingers' },
      check: (status, body) => {
        expect(status).toBe(200);
        expect(Array.isArray(body.rows)).toBe(true);
      },
    }),
    gerrit: async () => ({
      routeKey: 'ANY /gerrit/a/{proxy+}',
      path: '/gerrit/a/accounts/self',
      headers: { authorization: `Bearer ${await token('alice')}` },
      pathParameters: { proxy: 'accounts/self' },
      method: 'GET',
      check: (status, body) => {
        expect(status).toBe(200);
        expect(body).toMatchObject({ username: 'alice' });
      },
    }),
  };

  it('the authorizer artifact lets a real token through and refuses a bad one', async () => {
    const fn = functionsOf(dev.template).find((f) => f.name === 'authorizer');
    const unpacked = await unpackArtifact(dev.artifacts.authorizer as string);
    const event = (authorization: string): APIGatewayRequestAuthorizerEventV2 => ({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:123456789012:api/$default/GET/me',
      identitySource: [authorization],
      routeKey: 'GET /me',
      rawPath: '/me',
      rawQueryString: '',
      cookies: [],
      headers: { authorization },
      requestContext: httpApiEvent('GET /me', { path: '/me' }).requestContext,
    });
    const invoke = (authorization: string) =>
      invokeArtifact<EdgeAuthorizerResult, APIGatewayRequestAuthorizerEventV2>({
        dir: unpacked.dir,
        handler: String(fn?.properties.Handler),
        functionName: String(fn?.properties.FunctionName),
        env: {
          ...testStack().lambdaEnv,
          ...(fn?.properties.Environment as { Variables: Record<string, string> }).Variables,
        },
        event: event(authorization),
      });
    try {
      const machine = await invoke(`Bearer ${await token('ci-bot')}`);
      expect(machine.response).toMatchObject({
        isAuthorized: true,
        context: { subject: 'ci-bot', kind: 'machine', issuerName: 'machines' },
      });
      // A refused token throws `Unauthorized` (API Gateway's 401): the bootstrap fails.
      await expect(invoke('Bearer not.a.token')).rejects.toThrow(/Unauthorized/);
    } finally {
      unpacked.remove();
    }
  });

  it('each artifact answers one real request with the stage environment', async () => {
    const lambdaEnv = testStack().lambdaEnv ?? {};
    for (const fn of functionsOf(dev.template)) {
      if (fn.name === 'authorizer') continue; // its own test above: not an HTTP handler
      const request = requests[fn.name];
      expect(request, `no request recipe for ${fn.name}`).toBeDefined();
      if (!request) continue;
      const { routeKey, path, headers, body, pathParameters, method, check } = await request();
      const event = httpApiEvent(routeKey, {
        path,
        headers: { 'x-correlation-id': `artifact-${fn.name}`, ...headers },
        body,
        pathParameters,
        method,
      });
      const unpacked = await unpackArtifact(dev.artifacts[fn.name] as string);
      try {
        const result = await invokeArtifact({
          dir: unpacked.dir,
          handler: String(fn.properties.Handler),
          functionName: String(fn.properties.FunctionName),
          // What Lambda sets (region, credentials: moto's here) under the template's variables.
          env: {
            ...lambdaEnv,
            ...(fn.properties.Environment as { Variables: Record<string, string> }).Variables,
          },
          event,
        });
        const response = result.response;
        expect(response?.headers?.['x-correlation-id'], fn.name).toBe(`artifact-${fn.name}`);
        check(
          response?.statusCode ?? 0,
          // Gerrit's answers keep Gerrit's )]}' line (docs/gerrit.md).
          JSON.parse(String(response?.body).replace(/^\)\]\}'\n/, '')) as Record<string, unknown>,
        );
        // Structured JSON logs with the correlation id, and never the token.
        expect(result.logs).toContain(`"correlation_id":"artifact-${fn.name}"`);
        expect(result.logs).not.toMatch(/Bearer |eyJ[A-Za-z0-9_-]{10,}\./);
      } finally {
        unpacked.remove();
      }
    }
  });
});
