import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import configDocument from '../../../config/crossgate.json' with { type: 'json' };
import { gatewayModules } from '../../../shared/modules/registry';
import { parseGatewayConfig as parseConfig } from '../../../shared/modules/gateway-config';
import { policyCatalog } from '../../../shared/policy/catalog';
import type { Requirement } from '../../../shared/policy/requirement';
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
  CROSSGATE_REGION: 'eu-west-1',
  CROSSGATE_COGNITO_USER_POOL_ID: 'eu-west-1_Example42',
  CROSSGATE_COGNITO_CLIENT_ID: 'example-app-client',
  CROSSGATE_OIDC_ISSUER: 'https://idp.example.com',
  CROSSGATE_OIDC_JWKS_URI: 'https://idp.example.com/.well-known/jwks.json',
  CROSSGATE_ECHO_URL: 'https://echo-abc123-ew.a.run.app',
  CROSSGATE_LEDGER_URL: 'https://ledger-abc123-ew.a.run.app',
  CROSSGATE_ISSUER_URL: 'https://gateway.example.com',
  CROSSGATE_GERRIT_URL: 'https://gerrit.example.com',
  CROSSGATE_SPANNER_PROJECT: 'example-project',
  CROSSGATE_SPANNER_INSTANCE: 'example-instance',
  CROSSGATE_SPANNER_DATABASE: 'example-db',
};

/**
 * Per function: memory and timeout from params (defaults), the secrets its role may read
 * (names, as the stage params give them) and the packages its bundle must not contain.
 * A function added to serverless.yml must be added here; the tests below fail until it is.
 */
const expectedFunctions: Record<
  string,
  { memorySize: number; timeout: number; secrets: string[]; forbidden: string[] }
> = {
  health: {
    memorySize: 256,
    timeout: 5,
    secrets: [],
    forbidden: [
      'google-auth-library',
      '@google-cloud/spanner',
      'google-gax',
      '@aws-sdk/client-secrets-manager',
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
    ],
  },
  run: {
    memorySize: 512,
    timeout: 15,
    secrets: ['crossgate/gcp-credentials'],
    forbidden: ['@google-cloud/spanner', 'google-gax'],
  },
  spanner: {
    memorySize: 1024,
    timeout: 20,
    // The mask key: HMAC key of Spanner hash masks (docs/spanner.md).
    secrets: ['crossgate/gcp-credentials', 'crossgate/spanner-mask-key'],
    forbidden: [],
  },
  gerrit: {
    memorySize: 256,
    timeout: 15,
    secrets: ['crossgate/gerrit-http-credentials'],
    forbidden: ['google-auth-library', '@google-cloud/spanner', 'google-gax'],
  },
};

let dev: PackagedService;
let prod: PackagedService;

beforeAll(async () => {
  const lambdaEnv = testStack().lambdaEnv;
  if (!lambdaEnv) throw new Error('the test stack published no lambdaEnv');
  [dev, prod] = await Promise.all([
    packageService({ stage: 'dev', env: lambdaEnv }),
    packageService({ stage: 'prod', env: prodEnv }),
  ]);
  console.log(`osls package: dev ${dev.seconds} s, prod ${prod.seconds} s (in parallel)`);
}, 300_000);

afterAll(() => {
  dev?.cleanup();
  prod?.cleanup();
});

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

/** Scopes the edge may require: only when every policy of the route is scopes alone. */
function edgeScopes(policies: Requirement[]): string[] | undefined {
  const scopesOnly = (requirement: Requirement): string[] | undefined => {
    if ('scope' in requirement) return [requirement.scope];
    if ('anyOf' in requirement) {
      const parts = requirement.anyOf.map(scopesOnly);
      return parts.every((part) => part !== undefined) ? parts.flat() : undefined;
    }
    // groups, allOf and "authenticated" cannot be written as "any one of these scopes".
    return undefined;
  };
  const perPolicy = policies.map(scopesOnly);
  if (perPolicy.length === 0 || perPolicy.some((scopes) => scopes === undefined)) return undefined;
  return [...new Set(perPolicy.flat() as string[])].sort();
}

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

  it('edge: the JWT authorizer guards every route but GET /health, with the stage issuer and audience', () => {
    const { template } = packaged();
    const authorizers = resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] ?? [];
    const poolId =
      stage === 'dev'
        ? testStack().lambdaEnv?.CROSSGATE_COGNITO_USER_POOL_ID
        : prodEnv.CROSSGATE_COGNITO_USER_POOL_ID;
    const region = stage === 'dev' ? 'us-east-1' : prodEnv.CROSSGATE_REGION;
    const clientId =
      stage === 'dev'
        ? testStack().lambdaEnv?.CROSSGATE_COGNITO_CLIENT_ID
        : prodEnv.CROSSGATE_COGNITO_CLIENT_ID;
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: `https://cognito-idp.${region}.amazonaws.com/${poolId}`,
        Audience: [clientId],
      },
    });

    const routes = routesOf(template);
    expect(routes.map((route) => route.routeKey)).toContain('GET /health');
    for (const route of routes) {
      if (route.routeKey === 'GET /health') {
        expect(route.properties.AuthorizationType, route.routeKey).toBeUndefined();
        expect(route.properties.AuthorizerId, route.routeKey).toBeUndefined();
      } else {
        expect(route.properties.AuthorizationType, route.routeKey).toBe('JWT');
        expect(route.properties.AuthorizerId, route.routeKey).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('edge: a route requires scopes at the edge exactly when its policy is scopes alone', () => {
    // The config as the deployed functions parse it: with the environment the template gives.
    const [fn] = functionsOf(packaged().template);
    const config = parseConfig(
      configDocument,
      (fn?.properties.Environment as { Variables: Record<string, string> }).Variables,
    );
    const policiesByRoute = new Map<string, Requirement[]>();
    for (const entry of policyCatalog(config, gatewayModules, configDocument)) {
      policiesByRoute.set(entry.route, [...(policiesByRoute.get(entry.route) ?? []), entry.policy]);
    }
    for (const route of routesOf(packaged().template)) {
      if (route.routeKey === 'GET /health') continue;
      const policies = policiesByRoute.get(route.routeKey);
      expect(policies, `${route.routeKey} has no policy in config`).toBeDefined();
      const scopes = route.properties.AuthorizationScopes as string[] | undefined;
      expect(scopes && [...scopes].sort(), route.routeKey).toEqual(edgeScopes(policies ?? []));
    }
  });

  it('edge: the scope rule itself tells scope-only policies from group ones', () => {
    expect(edgeScopes([{ scope: 'a' }, { anyOf: [{ scope: 'b' }, { scope: 'a' }] }])).toEqual([
      'a',
      'b',
    ]);
    expect(edgeScopes([{ anyOf: [{ group: 'admins' }, { scope: 'a' }] }])).toBeUndefined();
    expect(edgeScopes([{ authenticated: true }])).toBeUndefined();
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

  it('edge: CORS is off (no stage configures it)', () => {
    const [[, api] = []] = resourcesOfType(packaged().template, 'AWS::ApiGatewayV2::Api');
    expect(api?.Properties.CorsConfiguration).toBeUndefined();
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
          'Fn::Sub': `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${name}-??????`,
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
      // Positive control: the source map is read right (every function verifies tokens or not,
      // but every one runs the middy chain).
      expect(packages, fn.name).toContain('@middy/core');
      const text = await artifactText(zipFile, bundle);
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
      routeKey: 'GET /gerrit/changes',
      path: '/gerrit/changes',
      headers: { authorization: `Bearer ${await token('alice')}` },
      check: (status, body) => {
        expect(status).toBe(200);
        expect(Array.isArray(body.changes)).toBe(true);
      },
    }),
  };

  it('each artifact answers one real request with the stage environment', async () => {
    const lambdaEnv = testStack().lambdaEnv ?? {};
    for (const fn of functionsOf(dev.template)) {
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
          JSON.parse(String(response?.body)) as Record<string, unknown>,
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
