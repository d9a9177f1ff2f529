// Whether the live suite may run: only with GLM_LIVE_API_KEY, never in CI (real money, internet).
export function liveSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CI)
    return "CI is set, and the live suite never runs in CI (it calls the real platform and costs money).";
  if (!env.GLM_LIVE_API_KEY)
    return "GLM_LIVE_API_KEY is not set (export a real key to call the real platform; see docs/live-tests.md).";
  return undefined;
}
