import { inject } from 'vitest';
import type { StackState } from '../../local/services/types';
import { tokenFor, type TokenKind } from '../../local/tokens';
import { parseGatewayConfig as parseConfig } from '../../shared/modules/gateway-config';
import type { GatewayConfig } from '../../shared/modules/gateway-config';
import { configDocument, unitTestEnv } from './config';

/** The offline stack started by tests/setup/stack.ts. */
export function testStack(): StackState {
  const stack = inject('stack');
  if (!stack) throw new Error('this test needs the offline stack (unset CROSSGATE_SKIP_STACK)');
  return stack;
}

export function gatewayUrl(path: string): string {
  const url = testStack().gatewayUrl;
  if (!url) throw new Error('serverless offline is not running');
  return `${url}${path}`;
}

/** A real token for a seeded principal, from Cognito (moto) or the OIDC provider. */
export function token(name: string, kind: TokenKind = 'access'): Promise<string> {
  return tokenFor(testStack(), name, kind);
}

export async function callGateway(
  path: string,
  init: RequestInit & { bearer?: string } = {},
): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const headers = new Headers(init.headers);
  if (init.bearer !== undefined) headers.set('authorization', `Bearer ${init.bearer}`);
  const response = await fetch(gatewayUrl(path), {
    ...init,
    headers,
    signal: AbortSignal.timeout(25_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON; the raw text is in `text`.
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** The gateway config as the functions under serverless offline see it. */
export function stackConfig(): GatewayConfig {
  return parseConfig(configDocument(), stackConfigEnv());
}

/** The environment the functions under serverless offline get, with `overrides` on top. */
export function stackConfigEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...unitTestEnv, ...testStack().lambdaEnv, ...overrides };
}
