// V8 settings for a request/response server, applied before anything else loads (main.ts imports
// this first). V8's allocation-site pretenuring allocates the objects of a site straight into the
// old generation once most of them have survived a scavenge. Under steady API load that made dead
// per-request objects old, and what they pointed at — rows, dates, promises of the same requests —
// then survived scavenges too and was promoted: the old space of the API server grew ~1.6 KB per
// get (paced at 800/s; ~5 MB/s at 2,600/s), and a major collection, with pauses of 4–15 ms, came
// every few seconds. Without it, and with the two hidden-class fixes of the same change
// (platform/actor.ts, platform/tenant-read-pool.ts), the growth is ~40 B per get
// (docs/benchmarks.md, "What the old generation filled with").
import v8 from 'node:v8';

v8.setFlagsFromString('--no-allocation-site-pretenuring');
