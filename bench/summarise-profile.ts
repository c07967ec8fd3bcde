// Reads a V8 .cpuprofile (from `node --cpu-prof`) and lists where the time went: self time
// per function and per package. `npx tsx bench/summarise-profile.ts <file>` prints both.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  functions: { function: string; selfMs: number; selfPercent: number }[];
  packages: { package: string; selfMs: number; selfPercent: number }[];
}

/** node_modules/<package>, our own source folder, node:internal, or the V8 pseudo-frames. */
export function classifyUrl(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  if (url.startsWith('node:')) return 'node:internal';
  const own = /\/(src|bench)\/(.+)\/[^/]+$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

/** A frame as both reports name it: the function, and where it is (package or our folder, line). */
export function frameLabel(callFrame: ProfileNode['callFrame']): string {
  const name = callFrame.functionName || '(anonymous)';
  if (!callFrame.url) return name;
  const url = callFrame.url.includes('/node_modules/') ? callFrame.url.replace(/^.*\/node_modules\//, '') : callFrame.url.replace(/^.*\/(src|bench|dist)\//, '$1/');
  return `${name} ${url}:${callFrame.lineNumber + 1}`;
}

export function summariseProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalMs = 0;
  for (const [id, milliseconds] of selfMs) {
    const { callFrame } = byId.get(id)!;
    const key = frameLabel(callFrame);
    functions.set(key, (functions.get(key) ?? 0) + milliseconds);
    const group = classifyUrl(callFrame.url, callFrame.functionName);
    packages.set(group, (packages.get(group) ?? 0) + milliseconds);
    totalMs += milliseconds;
  }
  const rank = <K extends string>(entries: Map<string, number>, label: K) => [...entries]
    .sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, milliseconds]) => ({ [label]: name, selfMs: Math.round(milliseconds), selfPercent: Math.round((milliseconds / totalMs) * 1000) / 10 }) as Record<K, string> & { selfMs: number; selfPercent: number });
  return { totalMs: Math.round(totalMs), functions: rank(functions, 'function'), packages: rank(packages, 'package') };
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const lines = [`CPU profile: ${summary.totalMs} ms sampled`, '', 'self % | package or folder'];
  for (const entry of summary.packages) lines.push(`${entry.selfPercent.toFixed(1).padStart(6)} | ${entry.package}`);
  lines.push('', 'self % | function');
  for (const entry of summary.functions) lines.push(`${entry.selfPercent.toFixed(1).padStart(6)} | ${entry.function}`);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx bench/summarise-profile.ts <file.cpuprofile>');
    process.exit(1);
  }
  console.log(formatProfileSummary(summariseProfile(file)));
}
