import { describe, expect, it } from 'vitest';
import { parseGatewayConfig as parseConfig } from '../../../../shared/modules/gateway-config';
import configDocument from '../../../../config/crossgate.json' with { type: 'json' };
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  UpstreamError,
} from '../../../../shared/errors';
import { gerritError } from '../../../../shared/gerrit/gerrit-errors';
import { GerritJsonError, parseGerritJson } from '../../../../shared/gerrit/gerrit-json';
import { parseReviewInput, parseSubmitInput } from '../../../../shared/gerrit/review-input';
import { gerritFixture, gerritFixtureJson } from '../../../helpers/gerrit-fixtures';

const config = parseConfig(configDocument, {
  CROSSGATE_COGNITO_USER_POOL_ID: 'us-east-1_test',
  CROSSGATE_COGNITO_CLIENT_ID: 'client',
  CROSSGATE_OIDC_ISSUER: 'http://127.0.0.1:1',
  CROSSGATE_OIDC_JWKS_URI: 'http://127.0.0.1:1/jwks',
  CROSSGATE_BACKSTAGE_ISSUER: 'https://backstage.example.test/api/auth',
  CROSSGATE_BACKSTAGE_JWKS_URI: 'https://backstage.example.test/api/auth/.well-known/jwks.json',
  CROSSGATE_ECHO_URL: 'http://127.0.0.1:2',
  CROSSGATE_LEDGER_URL: 'http://127.0.0.1:9',
  CROSSGATE_ISSUER_URL: 'http://127.0.0.1:3000',
  CROSSGATE_GERRIT_URL: 'http://127.0.0.1:3',
});
if (!config.gerrit) throw new Error('the shipped config has no gerrit section');
const gerrit = config.gerrit;

/** `# ...` comment lines and blank lines apart, the fixture's error blocks: status line and body. */
function errorBlocks(text: string): { status: number; headers: string[]; body: string }[] {
  return text
    .split(/\n(?=# )/)
    .map((block) => block.split('\n').filter((line) => !line.startsWith('#')))
    .filter((lines) => lines.some((line) => line.startsWith('HTTP/1.1')))
    .map((lines) => {
      const start = lines.findIndex((line) => line.startsWith('HTTP/1.1'));
      const blank = lines.indexOf('', start);
      return {
        status: Number(lines[start]?.split(' ')[1]),
        headers: lines.slice(start + 1, blank),
        body: lines
          .slice(blank + 1)
          .join('\n')
          .trim(),
      };
    });
}

describe("Gerrit's documented examples", () => {
  it('happy flow: the XSSI line is stripped from every documented JSON response', () => {
    for (const name of [
      'get-change.json',
      'get-account-self.json',
      'set-review-response.json',
      'submit-change-response.json',
      'list-projects.json',
    ]) {
      expect(() => parseGerritJson(gerritFixture(name))).not.toThrow();
    }
    expect(parseGerritJson(gerritFixture('set-review-response.json'))).toEqual({
      labels: { 'Code-Review': -1 },
    });
    const projects = parseGerritJson(gerritFixture('list-projects.json')) as Record<
      string,
      { id: string }
    >;
    // Gerrit's own encoding of a project name with a slash, as the client produces it.
    expect(projects['external/bison']?.id).toBe(encodeURIComponent('external/bison'));
  });

  it('error flow: the same JSON without the XSSI line is refused', () => {
    const withoutPrefix = gerritFixture('get-change.json').replace(/^\)\]\}'\n/, '');
    expect(() => parseGerritJson(withoutPrefix)).toThrow(GerritJsonError);
  });

  it('happy flow: the documented query result marks more pages on the last change', () => {
    const changes = gerritFixtureJson('query-changes.json') as Record<string, unknown>[];
    expect(changes.at(-1)?._more_changes).toBe(true);
    expect(changes.slice(0, -1).some((change) => '_more_changes' in change)).toBe(false);
  });

  it('happy flow: the documented ReviewInput passes crossgate validation', () => {
    const input = JSON.parse(gerritFixture('set-review-request.json')) as unknown;
    expect(parseReviewInput(input, gerrit)).toEqual(input);
  });

  it('error flow: the documented SubmitInput with on_behalf_of is refused with 400', () => {
    const input = JSON.parse(gerritFixture('submit-change-request.json')) as unknown;
    expect(() => parseSubmitInput(input)).toThrow(BadRequestError);
    expect(() => parseSubmitInput(input)).toThrow(/on_behalf_of/);
  });

  it("happy flow: every documented 409 keeps Gerrit's message as the detail", () => {
    const blocks = errorBlocks(gerritFixture('error-409-examples.txt'));
    expect(blocks).toHaveLength(6);
    for (const block of blocks) {
      expect(block.status).toBe(409);
      expect(block.headers).toContain('Content-Type: text/plain; charset=UTF-8');
      const error = gerritError({ status: block.status, body: `${block.body}\n` });
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.detail).toBe(block.body);
    }
  });

  it('happy flow: every RunAs 403 string maps to a RunAs-specific 403, the 500s to 502', () => {
    const lines = gerritFixture('runas-errors.txt')
      .split('\n')
      .filter((line) => /^\d{3} /.test(line))
      .map((line) => {
        const [, status, message] = /^(\d{3})\s+(.+?)(?:\s{2,}\(.*\))?$/.exec(line) ?? [];
        return { status: Number(status), message: message ?? '' };
      });
    expect(lines).toHaveLength(5);
    for (const { status, message } of lines) {
      const error = gerritError({ status, body: `${message}\n`, runAs: 'ops-agent' });
      if (status === 403) {
        expect(error).toBeInstanceOf(ForbiddenError);
        expect(error.detail).toMatch(
          message === 'no account matches X-Gerrit-RunAs'
            ? /unknown to Gerrit: no Gerrit account matches "ops-agent"/
            : /does not grant Run As/,
        );
      } else {
        expect(error).toBeInstanceOf(UpstreamError);
        expect(error.status).toBe(502);
      }
    }
  });

  it('error flow: a JSON 400 (reviewer errors) is summarised, not relayed', () => {
    const error = gerritError({ status: 400, body: gerritFixture('set-review-error-400.json') });
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.detail).toBe('Gerrit rejected the request');
  });
});
