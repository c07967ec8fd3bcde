import { describe, expect, it } from 'vitest';
import { callTree, flameGraphSvg } from '../bench/flame-graph.js';
import type { CpuProfile } from '../bench/summarise-profile.js';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 9 });

/** root → handler → (query ×3 samples, serialise ×1), root → (idle) ×4, each sample 1 ms. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5] },
    { id: 2, callFrame: frame('handler', 'file:///app/dist/routes.js'), children: [3, 4] },
    { id: 3, callFrame: frame('query', 'file:///app/node_modules/pg/lib/client.js') },
    { id: 4, callFrame: frame('serialise <json> & "quote"', 'file:///app/dist/json.js') },
    { id: 5, callFrame: frame('(idle)') },
  ],
  samples: [3, 3, 5, 3, 4, 5, 5, 5],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('the bench flame graph', () => {
  it('gives each frame the time of its own samples and its callees, idle left out', () => {
    const root = callTree(profile);
    expect(root.totalMs).toBe(4);
    const handler = root.children.get('handler dist/routes.js:10')!;
    expect(handler.totalMs).toBe(4);
    expect(handler.children.get('query pg/lib/client.js:10')!.totalMs).toBe(3);
    expect([...root.children.keys()].some((label) => label.includes('idle'))).toBe(false);
  });

  it('draws boxes as wide as their share, with labels escaped for XML', () => {
    const svg = flameGraphSvg(profile, 'test & profile');
    const widthOf = (label: string) => Number(new RegExp(`<title>${label}[^<]*</title><rect [^>]*width="([\\d.]+)"`).exec(svg)![1]);
    expect(widthOf('query')).toBeCloseTo(3 * widthOf('serialise &#60;json&#62; &#38; &#34;quote&#34;'), 5);
    expect(widthOf('handler')).toBeCloseTo(1200, 5);
    expect(svg).toContain('test &#38; profile');
    expect(svg).not.toMatch(/<json>/);
  });
});
