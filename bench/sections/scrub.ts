import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { scrubDiffInfo } from '../../shared/scrub/gerrit-diff-scrub';
import type { DiffContent, DiffInfo } from '../../shared/scrub/gerrit-shapes';
import { scrubText } from '../../shared/scrub/scrub-text';
import { addCounts, type RedactionCounts } from '../../shared/scrub/secret-detector';
import { median, percentile, round, timeEach } from '../stats';

export interface ScrubFinding {
  commit: string;
  file: string;
  rules: RedactionCounts;
}

export interface ScrubBenchResult {
  history: { commits: number; fileDiffs: number; megabytes: number };
  /** Fresh process: importing @secretlint/core and the recommended rules, and zod beside it. */
  detectorLoad: { detectorMs: number; zodMs: number };
  /**
   * scrubText over each commit's patch, all of history: MB/s, best of the rounds, by wall time
   * and by this process's CPU time. On a shared machine the wall figure carries other
   * processes' load; the CPU figure is what one Lambda vCPU would spend.
   */
  text: { wallMegabytesPerSecond: number; cpuMegabytesPerSecond: number };
  /**
   * scrubDiffInfo over each file's diff as Gerrit would send it (DiffInfo), all of history.
   * Slower per byte than text: common lines are scanned twice, once in each side's text.
   */
  diffInfo: { wallMegabytesPerSecond: number; cpuMegabytesPerSecond: number };
  /** Fixed cost of one scan (an 11-byte text), median µs. */
  smallTextMedianUs: number;
  /** A typical file diff (the median size in history) as DiffInfo: wall median / p99, CPU mean. */
  typicalDiff: DiffLatency;
  /** A 20 KB DiffInfo assembled from history's lines. */
  diff20k: DiffLatency;
  /** Heap growth over 5,000 scans (secretlint's profiler leak stays fixed). */
  heapGrowthMbPer5k: number;
  /** Everything found in history, which holds no credentials: each one is a false positive. */
  falsePositives: { total: number; byRule: RedactionCounts; findings: ScrubFinding[] };
}

export interface DiffLatency {
  bytes: number;
  medianMs: number;
  p99Ms: number;
  cpuMeanMs: number;
}

interface FileDiff {
  commit: string;
  file: string;
  /** The unified diff text of one file. */
  patch: string;
  diff: DiffInfo;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/**
 * What scrubbing costs and what it finds on real diffs: this repository's own history as
 * patches (`git log -p`), scanned as text per commit and as one Gerrit DiffInfo per file.
 */
export async function scrubBench(rounds = 3): Promise<ScrubBenchResult> {
  const log = execFileSync(
    'git',
    ['log', '-p', '--no-color', '--no-ext-diff', '--format=commit %H'],
    {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    },
  );
  const commits = log
    .split(/^(?=commit [0-9a-f]{40}$)/m)
    .filter((part) => part.startsWith('commit '));
  const files = commits.flatMap(fileDiffs);
  const historyBytes = Buffer.byteLength(log);

  // Warm-up: JIT and the detector's lazy parts, so the rounds measure steady state.
  for (const commit of commits.slice(0, 10)) await scrubText(commit);

  const textRates: Rate[] = [];
  const diffRates: Rate[] = [];
  const findings: ScrubFinding[] = [];
  const diffBytes = files.reduce((sum, file) => sum + Buffer.byteLength(file.patch), 0);
  for (let round = 0; round < rounds; round += 1) {
    textRates.push(
      await rate(historyBytes, async () => {
        for (const commit of commits) {
          const { redactions } = await scrubText(commit);
          if (round === 0 && Object.keys(redactions).length > 0) {
            findings.push({
              commit: commit.slice(7, 19),
              file: '(commit patch)',
              rules: redactions,
            });
          }
        }
      }),
    );
    diffRates.push(
      await rate(diffBytes, async () => {
        for (const file of files) {
          const { redactions } = await scrubDiffInfo(file.diff);
          if (round === 0 && Object.keys(redactions).length > 0) {
            findings.push({ commit: file.commit, file: file.file, rules: redactions });
          }
        }
      }),
    );
  }

  const bySize = [...files].sort((a, b) => a.patch.length - b.patch.length);
  const typical = bySize[Math.floor(bySize.length / 2)] as FileDiff;
  const big = diffOfAbout(20 * 1024, files);

  const smallText = await timeEach(2000, () => scrubText('hello world'));
  const heapGrowthMbPer5k = await heapGrowth(commits[0] ?? 'x');

  const byRule: RedactionCounts = {};
  for (const finding of findings) addCounts(byRule, finding.rules);
  return {
    history: {
      commits: commits.length,
      fileDiffs: files.length,
      megabytes: round(mb(historyBytes), 2),
    },
    detectorLoad: detectorLoadMs(),
    text: best(textRates),
    diffInfo: best(diffRates),
    smallTextMedianUs: round(median(smallText), 0),
    typicalDiff: await diffLatency(typical.diff, Buffer.byteLength(typical.patch)),
    diff20k: await diffLatency(big.diff, big.bytes),
    heapGrowthMbPer5k,
    falsePositives: {
      total: Object.values(byRule).reduce((sum, count) => sum + count, 0),
      byRule,
      findings,
    },
  };
}

interface Rate {
  wall: number;
  cpu: number;
}

/** MB/s of `task` over `bytes`, by wall time and by this process's CPU time (user + system). */
async function rate(bytes: number, task: () => Promise<void>): Promise<Rate> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await task();
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { wall: mb(bytes) / wallSeconds, cpu: mb(bytes) / ((used.user + used.system) / 1e6) };
}

function best(rates: Rate[]) {
  return {
    wallMegabytesPerSecond: round(Math.max(...rates.map((r) => r.wall)), 1),
    cpuMegabytesPerSecond: round(Math.max(...rates.map((r) => r.cpu)), 1),
  };
}

async function diffLatency(diff: DiffInfo, bytes: number): Promise<DiffLatency> {
  const iterations = 500;
  const cpu = process.cpuUsage();
  const samples = (await timeEach(iterations, () => scrubDiffInfo(diff))).map((us) => us / 1000);
  const used = process.cpuUsage(cpu);
  return {
    bytes,
    medianMs: round(median(samples), 2),
    p99Ms: round(percentile(samples, 99), 2),
    cpuMeanMs: round((used.user + used.system) / 1000 / iterations, 2),
  };
}

/** One commit's patch, split per file and read into DiffInfo the way Gerrit shapes a diff. */
function fileDiffs(commitPatch: string): FileDiff[] {
  const commit = commitPatch.slice(7, 19);
  return commitPatch
    .split(/^(?=diff --git )/m)
    .slice(1)
    .map((patch) => ({
      commit,
      file: /^diff --git a\/(\S+)/.exec(patch)?.[1] ?? '?',
      patch,
      diff: toDiffInfo(patch),
    }));
}

/**
 * A unified diff as a Gerrit DiffInfo: header lines, then per hunk `ab` / `a` / `b` regions,
 * with a `skip` between hunks (the lines git left out). Written here because it is only a
 * benchmark input; the gateway itself never parses unified diffs.
 */
function toDiffInfo(patch: string): DiffInfo {
  const lines = patch.split('\n');
  const firstHunk = lines.findIndex((line) => line.startsWith('@@'));
  const header = firstHunk === -1 ? lines : lines.slice(0, firstHunk);
  const content: DiffContent[] = [];
  let current: DiffContent | undefined;
  const push = (field: 'a' | 'b' | 'ab', line: string) => {
    const wantsNew =
      !current || (field === 'ab' ? current.ab === undefined : current.ab !== undefined);
    if (wantsNew) {
      current = {};
      content.push(current);
    }
    const region = current as DiffContent;
    (region[field] ??= []).push(line);
  };
  for (const line of firstHunk === -1 ? [] : lines.slice(firstHunk)) {
    if (line.startsWith('@@')) {
      if (content.length > 0) content.push({ skip: 10 });
      current = undefined;
    } else if (line.startsWith('+')) push('b', line.slice(1));
    else if (line.startsWith('-')) push('a', line.slice(1));
    else if (line.startsWith(' ')) push('ab', line.slice(1));
  }
  return { diff_header: header, content, change_type: 'MODIFIED' };
}

/** Regions from history's file diffs until their lines add up to about `bytes`. */
function diffOfAbout(bytes: number, files: FileDiff[]): { diff: DiffInfo; bytes: number } {
  const content: DiffContent[] = [];
  let size = 0;
  for (const file of files) {
    for (const region of file.diff.content) {
      if (size >= bytes) break;
      content.push(region);
      for (const field of ['a', 'b', 'ab'] as const) {
        for (const line of region[field] ?? []) size += Buffer.byteLength(line) + 1;
      }
    }
    if (size >= bytes) break;
  }
  return { diff: { content, change_type: 'MODIFIED' }, bytes: size };
}

async function heapGrowth(text: string): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const sample = text.slice(0, 1024);
  for (let i = 0; i < 5000; i += 1) await scrubText(sample);
  gc?.();
  return round(mb(process.memoryUsage().heapUsed - before), 1);
}

/**
 * Median of 5 fresh processes: time to import the detector's packages, in ms, beside zod's
 * import in the same process as a yardstick (zod loads first, so the detector's figure does not
 * carry the ESM loader's first use). On a busy machine both figures swell; their ratio holds.
 */
function detectorLoadMs(): { detectorMs: number; zodMs: number } {
  const script = [
    "let t = performance.now(); await import('zod'); const zod = performance.now() - t;",
    "t = performance.now(); await import('@secretlint/core'); await import('@secretlint/profiler');",
    "await import('@secretlint/secretlint-rule-preset-recommend');",
    'console.log(JSON.stringify([performance.now() - t, zod]));',
  ].join(' ');
  const samples = Array.from(
    { length: 5 },
    () =>
      JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
      ) as [number, number],
  );
  return {
    detectorMs: round(median(samples.map((sample) => sample[0])), 1),
    zodMs: round(median(samples.map((sample) => sample[1])), 1),
  };
}

export function formatScrubReport(result: ScrubBenchResult): string {
  const fp = result.falsePositives;
  return `
7. Secret scrubbing (secretlint recommended rules) on this repository's history
   history: ${result.history.commits} commits, ${result.history.fileDiffs} file diffs, ${result.history.megabytes} MB of patches
   throughput (best of 3, wall / CPU): ${result.text.wallMegabytesPerSecond} / ${result.text.cpuMegabytesPerSecond} MB/s as text per commit, ${result.diffInfo.wallMegabytesPerSecond} / ${result.diffInfo.cpuMegabytesPerSecond} MB/s as DiffInfo per file
   fixed cost of one scan: ${result.smallTextMedianUs} µs; detector import in a fresh process: ${result.detectorLoad.detectorMs} ms (zod: ${result.detectorLoad.zodMs} ms)
   typical file diff (${result.typicalDiff.bytes} B): ${result.typicalDiff.medianMs} / ${result.typicalDiff.p99Ms} ms (median / p99), CPU ${result.typicalDiff.cpuMeanMs} ms
   20 KB diff (${result.diff20k.bytes} B): ${result.diff20k.medianMs} / ${result.diff20k.p99Ms} ms (median / p99), CPU ${result.diff20k.cpuMeanMs} ms
   heap growth over 5,000 scans: ${result.heapGrowthMbPer5k} MB
   false positives on history: ${fp.total} ${JSON.stringify(fp.byRule)}${fp.findings
     .map((finding) => `\n     ${finding.commit} ${finding.file} ${JSON.stringify(finding.rules)}`)
     .join('')}`;
}

// `node --expose-gc --import tsx bench/sections/scrub.ts` runs this section alone: it needs no
// offline stack.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatScrubReport(await scrubBench()));
}
