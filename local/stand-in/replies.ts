import type { ServerResponse } from 'node:http';

/** Gerrit's anti-XSSI prefix: the first line of every JSON answer (rest-api.txt, "Output Format"). */
export const XSSI_PREFIX = ")]}'\n";

/** Plain JSON, with optional extra headers (Cache-Control, ...). */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Gerrit's JSON: the XSSI line, then compact JSON, served as an attachment. */
export function sendXssiJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-disposition': 'attachment',
    'x-content-type-options': 'nosniff',
  });
  res.end(`${XSSI_PREFIX}${JSON.stringify(value)}\n`);
}

/** A plain-text answer (Gerrit's errors, base64 file content): one body, newline-terminated. */
export function sendText(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=UTF-8',
    'content-disposition': 'attachment',
    ...headers,
  });
  res.end(message.endsWith('\n') ? message : `${message}\n`);
}
