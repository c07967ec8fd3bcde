// A flame graph of a V8 .cpuprofile (from `node --cpu-prof`), as one self-contained SVG that
// any browser shows: each box a function in a call stack, as wide as the time spent in it and
// in what it called, callers below callees; hovering a box gives its time and share. Idle time
// is left out, so the widths are shares of the CPU the process used.
// `npx tsx bench/flame-graph.ts <file.cpuprofile> [out.svg]` writes <file>.svg by default.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { classifyUrl, frameLabel, type CpuProfile } from './summarise-profile.js';

interface Frame {
  label: string;
  group: string;
  selfMs: number;
  totalMs: number;
  children: Map<string, Frame>;
}

const width = 1200;
const rowHeight = 16;
/** Boxes narrower than this many pixels are left out, with what they called. */
const minimumWidth = 0.3;

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** The profile's call tree with each frame's time, siblings of the same function merged. */
export function callTree(profile: CpuProfile): Frame {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000));
  const root: Frame = { label: 'all', group: 'all', selfMs: 0, totalMs: 0, children: new Map() };
  const rootNode = profile.nodes.find((node) => node.callFrame.functionName === '(root)') ?? profile.nodes[0];
  const visit = (id: number, parent: Frame) => {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    const label = frameLabel(node.callFrame);
    let frame = parent.children.get(label);
    if (!frame) {
      frame = { label, group: classifyUrl(node.callFrame.url, node.callFrame.functionName), selfMs: 0, totalMs: 0, children: new Map() };
      parent.children.set(label, frame);
    }
    frame.selfMs += selfMs.get(id) ?? 0;
    for (const child of node.children ?? []) visit(child, frame);
  };
  for (const child of rootNode.children ?? []) visit(child, root);
  const total = (frame: Frame): number => {
    frame.totalMs = frame.selfMs + [...frame.children.values()].reduce((sum, child) => sum + total(child), 0);
    return frame.totalMs;
  };
  total(root);
  return root;
}

/** Warm colours for our code, cool for dependencies, grey for Node and V8 themselves. */
function colourOf(group: string, label: string): string {
  let hash = 0;
  for (const character of label) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  const shade = hash % 30;
  const ours = group.startsWith('src/') || group.startsWith('bench/') || group.startsWith('file:');
  if (ours) return `hsl(${15 + shade}, 85%, ${58 + (hash % 12)}%)`;
  if (group === 'node:internal' || group.startsWith('(')) return `hsl(0, 0%, ${68 + (hash % 16)}%)`;
  return `hsl(${190 + shade}, 55%, ${62 + (hash % 12)}%)`;
}

export function flameGraphSvg(profile: CpuProfile, title: string): string {
  const root = callTree(profile);
  const scale = root.totalMs > 0 ? width / root.totalMs : 0;
  let depth = 0;
  const drawn: Array<{ frame: Frame; x: number; boxWidth: number; level: number }> = [];
  const collect = (frame: Frame, x: number, level: number) => {
    const boxWidth = frame.totalMs * scale;
    if (boxWidth < minimumWidth) return;
    depth = Math.max(depth, level);
    drawn.push({ frame, x, boxWidth, level });
    let childX = x;
    for (const child of [...frame.children.values()].sort((a, b) => a.label.localeCompare(b.label))) {
      collect(child, childX, level + 1);
      childX += child.totalMs * scale;
    }
  };
  collect(root, 0, 0);
  const top = 40;
  const height = top + (depth + 1) * rowHeight + 10;
  const rows = drawn.map(({ frame, x, boxWidth, level }) => {
    const y = height - 10 - (level + 1) * rowHeight;
    const share = root.totalMs > 0 ? (frame.totalMs / root.totalMs) * 100 : 0;
    const tip = `${frame.label} — ${frame.totalMs.toFixed(1)} ms, ${share.toFixed(2)} % (self ${frame.selfMs.toFixed(1)} ms)`;
    // About 7 px a character at 12 px: the label only where it fits.
    const fits = Math.floor((boxWidth - 6) / 7);
    const text = fits >= 3 ? `<text x="${(x + 3).toFixed(2)}" y="${y + 12}">${escapeXml(frame.label.length > fits ? `${frame.label.slice(0, fits - 1)}…` : frame.label)}</text>` : '';
    return `<g><title>${escapeXml(tip)}</title><rect x="${x.toFixed(2)}" y="${y}" width="${boxWidth.toFixed(2)}" height="${rowHeight - 1}" fill="${frame.label === 'all' ? '#ddd' : colourOf(frame.group, frame.label)}"/>${text}</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12">`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
    `<text x="${width / 2}" y="34" text-anchor="middle" fill="#555">${escapeXml(`${root.totalMs.toFixed(0)} ms of CPU sampled, idle left out; hover a box for its time`)}</text>`,
    ...rows,
    '</svg>',
  ].join('\n');
}

export function writeFlameGraph(profileFile: string, outFile = profileFile.replace(/\.cpuprofile$/, '') + '.svg'): string {
  const profile = JSON.parse(fs.readFileSync(profileFile, 'utf8')) as CpuProfile;
  fs.writeFileSync(outFile, flameGraphSvg(profile, `Flame graph of ${profileFile.split('/').pop()}`));
  return outFile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, out] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx bench/flame-graph.ts <file.cpuprofile> [out.svg]');
    process.exit(1);
  }
  console.log(`wrote ${writeFlameGraph(file, out)}`);
}
