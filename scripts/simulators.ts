/**
 * `npx tsx scripts/simulators.ts`: runs the TimelinesAI, Instantly, Resend and LLM simulators on one
 * port (SIMULATOR_PORT, default 4010) until Ctrl-C. Variables: see server/sandbox/options-from-env.ts.
 * Prints the base URLs the app uses in sandbox mode and the control endpoints.
 */
import { startSimulators } from "../server/sandbox/launcher";
import { simulatorOptionsFromEnv } from "../server/sandbox/options-from-env";

const options = simulatorOptionsFromEnv();
const running = await startSimulators(options);
const lines = [
  `[simulators] listening on ${running.origin} (seed ${options.seed}, clock ${options.clock?.mode ?? "real"})`,
  `  TimelinesAI  ${running.urls.timelinesai}`,
  `  Instantly    ${running.urls.instantly}   (client appends /api/v2)`,
  `  Resend       ${running.urls.resend}`,
  `  LLM          ${running.urls.llm}`,
  `  control      ${running.origin}/__control/state | /scenario | /reset | /messages | /requests | /webhooks | /clock/advance`,
  ...Object.entries(options.webhooks ?? {}).flatMap(([provider, hooks]) =>
    (hooks ?? []).map((h: { url: string }) => `  webhook      ${provider} → ${h.url}`),
  ),
];
process.stdout.write(`${lines.join("\n")}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await running.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
