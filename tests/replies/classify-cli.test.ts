import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { startTestSimulators } from "../providers/support";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs `scripts/classify.ts` as `npm run -s classify` does, with the given stdin. */
function classify(stdin: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/classify.ts", ...args], {
      cwd: ROOT,
      // Only what the tool needs: no DATABASE_URL, no REDIS_URL, as an outside evaluator would run it.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", ...env } as NodeJS.ProcessEnv,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Each test starts Node + tsx once or twice: on a busy 2-core machine that alone can take seconds. */
const SPAWN_TIMEOUT = 120_000;

const lines = (stdout: string) => stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("npm run -s classify", () => {
  it("writes one JSON line per input line, in order, with the stable fields; bad lines get an error line and the tool goes on", async () => {
    const input = [
      JSON.stringify({ text: "Nu acum, dar trimiteți oferta", id: "a" }),
      "",
      "not json",
      JSON.stringify({ text: "STOP", channel: "email" }),
      JSON.stringify({ text: "" }),
      JSON.stringify({ subject: "no text", id: 5 }),
      JSON.stringify({ text: "Fac reclamație la ANPC!", channel: "whatsapp" }),
      JSON.stringify({ text: "Reveniți după recoltat", channel: "fax" }),
      JSON.stringify({ text: "Sunați-l pe domnul Popescu la 0722 123 456" }),
      JSON.stringify({ text: "Sunt în concediu până pe 16 martie.", subject: "Răspuns automat", channel: "EMAIL_COLD" }),
      JSON.stringify(["an array"]),
    ].join("\n");
    const { code, stdout, stderr } = await classify(input, ["--now=2026-03-02T08:00:00Z"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const out = lines(stdout);
    expect(out).toHaveLength(10); // the blank line gives nothing
    expect(out[0]).toMatchObject({ id: "a", intent: "INTERESTED", optOut: false, route: "AUTO", engine: "builtin" });
    for (const key of ["score", "intent", "optOut", "route", "priority", "reviewReason", "confidence", "reason", "laterUntil", "suggestedContact", "keywordTriggers", "complaint", "handling"]) {
      expect(out[0]).toHaveProperty(key);
    }
    expect(out[1]).toEqual({ line: 3, error: "not JSON" });
    expect(out[2]).toMatchObject({ intent: "UNSUBSCRIBE", optOut: true, route: "REVIEW", priority: "LOW" });
    expect(out[3]).toMatchObject({ line: 5, error: expect.stringContaining("text") });
    expect(out[4]).toMatchObject({ id: 5, line: 6, error: expect.stringContaining("text") });
    expect(out[5]).toMatchObject({ intent: "COMPLAINT", optOut: true, route: "URGENT", priority: "URGENT", reviewReason: "COMPLAINT" });
    expect(out[6]).toMatchObject({ line: 8, error: expect.stringContaining("channel") });
    expect(out[7]).toMatchObject({ intent: "WRONG_PERSON", suggestedContact: { name: "Popescu", phone: "+40722123456" } });
    expect(out[8]).toMatchObject({ intent: "AUTO_REPLY", route: "AUTO", laterUntil: "2026-03-17", handling: { postponeUntil: "2026-03-17", answer: false } });
    expect(out[9]).toMatchObject({ line: 11, error: expect.any(String) });
  }, SPAWN_TIMEOUT);

  it("takes the tenant's threshold and time zone", async () => {
    const input = JSON.stringify({ text: "Ok 👍" });
    const low = lines((await classify(input, ["--threshold=90"])).stdout)[0]!;
    expect(low).toMatchObject({ intent: "INTERESTED", route: "REVIEW" });
    const bad = await classify(input, ["--tz=Mars/Olympus"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/time zone/);
  }, SPAWN_TIMEOUT);

  describe("with an LLM", () => {
    let sims: Awaited<ReturnType<typeof startTestSimulators>>;
    beforeAll(async () => {
      sims = await startTestSimulators();
    });
    afterAll(async () => sims?.close());

    it("uses the built-in engine when only the sandbox key is set, the LLM when asked to", async () => {
      const env = { LLM_BASE_URL: sims.urls.llm, LLM_API_KEY: SANDBOX_CREDENTIALS.llmApiKey };
      const input = JSON.stringify({ text: "Da, suntem interesați." });
      expect(lines((await classify(input, [], env)).stdout)[0]).toMatchObject({ engine: "builtin" });
      const forced = await classify(input, ["--engine=llm"], env);
      expect(forced.stderr).toBe("");
      expect(lines(forced.stdout)[0]).toMatchObject({ engine: "llm", intent: "INTERESTED", route: "AUTO" });
    }, SPAWN_TIMEOUT);
  });
});
