import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What a fault does to the requests it matches:
 * - `status`: answer `status` with `body` (after `delayMs`), instead of the real handler;
 * - `delay`: wait `delayMs`, then let the real handler answer;
 * - `hang`: never answer (until the client gives up or the faults are cleared);
 * - `close`: cut the connection without an answer.
 */
export type FaultMode = 'status' | 'delay' | 'hang' | 'close';

export interface FaultInput {
  mode?: FaultMode;
  method?: string;
  /** A regular expression tested against the path (without the query). Default: any. */
  path?: string;
  status?: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  /** How many requests the fault applies to. Default 1. */
  times?: number;
}

interface Fault {
  mode: FaultMode;
  method?: string;
  path: RegExp;
  status: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
  delayMs: number;
  times: number;
}

/**
 * A stand-in's fault switch: tests arm faults through the stand-in's loopback admin routes,
 * and the stand-in asks `apply` before handling each request.
 */
export class FaultSwitch {
  private readonly faults: Fault[] = [];
  /** Held requests (`hang`, long delays), released when the faults are cleared. */
  private readonly held = new Set<AbortController>();

  add(input: FaultInput): void {
    // `status` stays the default for callers that name a status and nothing else.
    const mode = input.mode ?? 'status';
    if (!['status', 'delay', 'hang', 'close'].includes(mode)) {
      throw new Error(`unknown fault mode ${String(mode)}`);
    }
    this.faults.push({
      mode,
      ...(input.method ? { method: input.method.toUpperCase() } : {}),
      path: new RegExp(input.path ?? '.*'),
      status: input.status ?? 500,
      body: input.body ?? '',
      contentType: input.contentType ?? 'text/plain; charset=UTF-8',
      headers: input.headers ?? {},
      delayMs: input.delayMs ?? 0,
      times: input.times ?? 1,
    });
  }

  /** Drops pending faults and cuts every request they hold. */
  clear(): void {
    this.faults.length = 0;
    for (const controller of this.held) controller.abort();
  }

  /**
   * Applies the first matching fault. Returns true when the fault answered (or cut) the
   * request, false when the real handler should answer (no fault, or a `delay`).
   */
  async apply(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const fault = this.faults.find(
      (candidate) =>
        candidate.times > 0 &&
        (!candidate.method || candidate.method === req.method) &&
        candidate.path.test(path),
    );
    if (!fault) return false;
    fault.times -= 1;
    if (fault.mode === 'close') {
      res.socket?.destroy();
      return true;
    }
    const controller = new AbortController();
    this.held.add(controller);
    try {
      if (fault.mode === 'hang') {
        await new Promise<void>((resolve) => {
          controller.signal.addEventListener('abort', () => resolve());
          res.on('close', () => resolve());
        });
        res.socket?.destroy();
        return true;
      }
      if (fault.delayMs > 0) await sleep(fault.delayMs, undefined, { signal: controller.signal });
    } catch {
      res.socket?.destroy();
      return true;
    } finally {
      this.held.delete(controller);
    }
    if (fault.mode === 'delay') return res.destroyed;
    if (!res.destroyed) {
      res.writeHead(fault.status, { 'content-type': fault.contentType, ...fault.headers });
      res.end(fault.body);
    }
    return true;
  }
}
