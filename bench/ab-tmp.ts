import { FAKE_API_KEY, startFakeGlm } from "../test/fake-glm/index.js";
import { CLI } from "../test/helpers/cli.js";
import { percentile } from "./lib/common.js";
import { rawStdio } from "./lib/raw.js";
const fake = await startFakeGlm();
const env = { GLM_API_KEY: FAKE_API_KEY, GLM_BASE_URL: fake.baseUrl };
const a = await rawStdio(env, CLI);
const b = await rawStdio(env, process.env.GLM_MCP_BENCH_BEFORE!);
const ta: number[] = [],
  tb: number[] = [];
let n = 0;
const one = async (c: typeof a, out: number[], record: boolean) => {
  const t = performance.now();
  const r = await c.callTool("embed_text", { texts: [`p ${n++}`, `q ${n}`] });
  if (r.isError) throw new Error("err");
  if (record) out.push(performance.now() - t);
};
for (let round = 0; round < 30; round++) {
  for (let i = 0; i < 20; i++) await one(a, ta, round > 4);
  for (let i = 0; i < 20; i++) await one(b, tb, round > 4);
}
process.stderr.write(
  `after p50 ${percentile(ta, 50).toFixed(2)} p99 ${percentile(ta, 99).toFixed(2)} | before p50 ${percentile(tb, 50).toFixed(2)} p99 ${percentile(tb, 99).toFixed(2)}\n`,
);
await a.close();
await b.close();
await fake.close();
