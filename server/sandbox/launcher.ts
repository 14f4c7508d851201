import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { RESEND_EMAIL_EVENT_TYPES } from "../providers/resend/webhooks";
import { SANDBOX_CREDENTIALS, SIMULATOR_PATHS, simulatorBaseUrls } from "../providers/sandbox";
import { TIMELINES_ACCOUNT_EVENTS } from "../providers/timelinesai/webhooks";
import { SimClock } from "./core/clock";
import type { ProviderSimulator, SimContext } from "./core/context";
import { FaultInjector, type SimProvider } from "./core/faults";
import { BadJsonError, json, readJson, type Reply, type SimRequest } from "./core/http";
import { SimLogs } from "./core/logs";
import { createRng } from "./core/rng";
import { applyScenarioPatch, DEFAULT_SCENARIO, faultRuleSchema, type Scenario } from "./core/scenario";
import { WebhookDispatcher } from "./core/webhooks";
import { InstantlySimulator } from "./instantly/simulator";
import { LlmSimulator } from "./llm/simulator";
import { ResendSimulator } from "./resend/simulator";
import { TimelinesAiSimulator } from "./timelinesai/simulator";

/**
 * Starts the four provider simulators on one port, each under its own path prefix (see
 * SIMULATOR_PATHS), plus the control API under /__control. One port keeps sandbox configuration to a
 * single variable (SIMULATOR_PORT) and lets one control call reset or advance every provider at once.
 */

/** 20 Romanian mobile numbers, the size of the team's TimelinesAI workspace. */
export const DEFAULT_ACCOUNTS: readonly string[] = Array.from({ length: 20 }, (_, i) => `+4074000${String(101 + i).padStart(4, "0")}`);

const E164 = /^\+[1-9]\d{7,14}$/;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const simulatorOptionsSchema = z.object({
  host: z.string().default("127.0.0.1"),
  /** 0 = an ephemeral port (tests). */
  port: z.number().int().min(0).max(65535).default(4010),
  seed: z.number().int().default(42),
  clock: z
    .object({
      mode: z.enum(["real", "manual"]).default("real"),
      /** Simulated start time; defaults to now. */
      start: z.iso.datetime().optional(),
      /** Real mode only: simulated ms per real ms (60 = an hour of provider time per minute). */
      scale: z.number().positive().default(1),
    })
    .prefault({}),
  credentials: z
    .object({
      timelinesaiTokens: z.array(z.string().min(1)).default([SANDBOX_CREDENTIALS.timelinesaiToken]),
      instantlyApiKeys: z.array(z.string().min(1)).default([SANDBOX_CREDENTIALS.instantlyApiKey]),
      resendApiKeys: z.array(z.string().startsWith("re_")).default([SANDBOX_CREDENTIALS.resendApiKey]),
      llmApiKeys: z.array(z.string().min(1)).default([SANDBOX_CREDENTIALS.llmApiKey]),
    })
    .prefault({}),
  accounts: z.array(z.string().regex(E164)).default([...DEFAULT_ACCOUNTS]),
  /** Receivers registered from the start (as an operator would in each provider's dashboard). */
  webhooks: z
    .object({
      timelinesai: z
        .array(z.object({ url: z.url(), eventTypes: z.array(z.string()).default(["message:new", ...TIMELINES_ACCOUNT_EVENTS]) }))
        .default([]),
      instantly: z
        .array(
          z.object({
            url: z.url(),
            eventType: z.string().nullable().default("all_events"),
            headers: z.record(z.string(), z.string()).default({}),
            campaign: z.string().nullish(),
          }),
        )
        .default([]),
      resend: z
        .array(
          z.object({
            url: z.url(),
            events: z.array(z.enum(RESEND_EMAIL_EVENT_TYPES)).default([...RESEND_EMAIL_EVENT_TYPES]),
            secret: z.string().startsWith("whsec_").default(SANDBOX_CREDENTIALS.resendWebhookSecret),
          }),
        )
        .default([]),
    })
    .prefault({}),
  /** A partial scenario applied over the defaults. */
  scenario: z.unknown().optional(),
});
export type SimulatorOptions = z.input<typeof simulatorOptionsSchema>;
type ResolvedOptions = z.output<typeof simulatorOptionsSchema>;

export interface RunningSimulators {
  origin: string;
  port: number;
  /** Base URLs to hand to the clients. */
  urls: ReturnType<typeof simulatorBaseUrls>;
  /** Waits until no webhook attempt is on the wire. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface World {
  seed: number;
  scenario: Scenario;
  logs: SimLogs;
  webhooks: WebhookDispatcher;
  faults: FaultInjector;
  simulators: Record<SimProvider, ProviderSimulator>;
}

const PREFIXES: readonly [SimProvider, string][] = [
  ["timelinesai", SIMULATOR_PATHS.timelinesai],
  ["instantly", SIMULATOR_PATHS.instantly],
  ["resend", SIMULATOR_PATHS.resend],
  ["llm", SIMULATOR_PATHS.llm],
];

class SimulatorHost {
  readonly clock: SimClock;
  private world!: World;
  private readonly baseScenario: Scenario;
  private readonly hanging = new Set<ServerResponse>();

  constructor(
    private readonly options: ResolvedOptions,
    hooks: SimulatorHooks,
  ) {
    const { mode, start, scale } = options.clock;
    this.clock = new SimClock(mode, { start: start ? Date.parse(start) : undefined, scale, source: hooks.now });
    this.baseScenario = applyScenarioPatch(DEFAULT_SCENARIO, options.scenario ?? {});
    this.world = this.build(options.seed, this.baseScenario);
  }

  /** A fresh world: new state, new RNG streams from the seed; the clock keeps running. */
  private build(seed: number, scenario: Scenario): World {
    this.clock.clear();
    const logs = new SimLogs();
    const webhooks = new WebhookDispatcher(this.clock);
    const faults = new FaultInjector(createRng(seed, "faults"));
    faults.setRules(scenario.faults);
    const world = { seed, scenario, logs, webhooks, faults } as World;
    const ctx = (provider: SimProvider): SimContext => ({
      clock: this.clock,
      rng: createRng(seed, provider),
      scenario: () => world.scenario,
      webhooks,
      logs,
    });
    const o = this.options;
    world.simulators = {
      timelinesai: new TimelinesAiSimulator(ctx("timelinesai"), {
        tokens: o.credentials.timelinesaiTokens,
        accounts: o.accounts,
        webhooks: o.webhooks.timelinesai,
      }),
      instantly: new InstantlySimulator(ctx("instantly"), { apiKeys: o.credentials.instantlyApiKeys, webhooks: o.webhooks.instantly }),
      resend: new ResendSimulator(ctx("resend"), { apiKeys: o.credentials.resendApiKeys, webhooks: o.webhooks.resend }),
      llm: new LlmSimulator(ctx("llm"), { apiKeys: o.credentials.llmApiKeys }),
    };
    return world;
  }

  idle(): Promise<void> {
    return this.world.webhooks.idle();
  }

  releaseHanging(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://simulator.local");
    const body = await readBody(req);
    if (body === "too-large") return send(res, json(413, { message: "Request body too large" }));
    const base = { method: req.method ?? "GET", query: url.searchParams, headers: req.headers, rawBody: body, params: {} };

    if (url.pathname === SIMULATOR_PATHS.control || url.pathname.startsWith(`${SIMULATOR_PATHS.control}/`)) {
      const reply = await this.control({ ...base, path: url.pathname.slice(SIMULATOR_PATHS.control.length) || "/" });
      return send(res, reply);
    }
    const match = PREFIXES.find(([, prefix]) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
    if (!match) return send(res, json(404, { message: `No simulator at ${url.pathname}` }));
    const [provider, prefix] = match;
    const simRequest: SimRequest = { ...base, path: url.pathname.slice(prefix.length) || "/" };
    const world = this.world;
    const simulator = world.simulators[provider];
    const logEntry = { at: new Date(this.clock.now()).toISOString(), provider, method: simRequest.method, path: simRequest.path };

    const fault = world.faults.match(provider, simRequest.method, simRequest.path);
    if (fault) {
      world.logs.request({ ...logEntry, status: fault.kind === "status" ? fault.status : fault.kind === "timeout" ? "hang" : fault.kind, fault: true });
      if (fault.kind === "timeout") {
        // Hold the request open: the client's own timeout has to fire.
        this.hanging.add(res);
        res.on("close", () => this.hanging.delete(res));
        return;
      }
      if (fault.kind === "reset") return void req.socket.destroy();
      if (fault.kind === "malformed") return send(res, { status: 200, body: "<html><body>502 Bad Gateway</body></html>" });
      const reply = simulator.errorReply(fault.status, fault.status === 429 ? "Rate limit exceeded" : "Simulated provider failure");
      const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { "retry-after": String(fault.retryAfterSeconds) } : {};
      return send(res, { ...reply, headers: { ...reply.headers, ...headers } });
    }

    let reply: Reply;
    try {
      reply = await simulator.handle(simRequest);
    } catch (error) {
      process.emitWarning(`simulator ${provider} failed: ${error instanceof Error ? error.stack : String(error)}`);
      reply = simulator.errorReply(500, "Internal server error");
    }
    world.logs.request({ ...logEntry, status: reply.status, fault: false });
    send(res, reply);
  }

  private async control(req: SimRequest): Promise<Reply> {
    const world = this.world;
    const q = req.query;
    const key = `${req.method} ${req.path}`;
    try {
      switch (key) {
        case "GET /state":
          return json(200, {
            seed: world.seed,
            now: new Date(this.clock.now()).toISOString(),
            clock: this.clock.mode,
            pendingTasks: this.clock.pending(),
            scenario: world.scenario,
            providers: Object.fromEntries(Object.entries(world.simulators).map(([name, sim]) => [name, sim.snapshot()])),
            webhookDeliveries: world.webhooks.list().length,
          });
        case "POST /scenario":
          world.scenario = applyScenarioPatch(world.scenario, readJson(req) ?? {});
          world.faults.setRules(world.scenario.faults);
          return json(200, world.scenario);
        case "POST /faults": {
          const rule = faultRuleSchema.parse(readJson(req));
          world.scenario = { ...world.scenario, faults: [...world.scenario.faults, rule] };
          world.faults.append(rule);
          return json(200, world.scenario.faults);
        }
        case "POST /reset": {
          const body = z.object({ seed: z.number().int().optional(), scenario: z.unknown().optional() }).parse(readJson(req) ?? {});
          this.releaseHanging();
          this.world = this.build(body.seed ?? world.seed, applyScenarioPatch(this.baseScenario, body.scenario ?? {}));
          return json(200, { seed: this.world.seed, scenario: this.world.scenario });
        }
        case "POST /clock/advance": {
          const { ms } = z.object({ ms: z.number().min(0) }).parse(readJson(req));
          this.clock.advance(ms);
          return json(200, { now: new Date(this.clock.now()).toISOString(), pendingTasks: this.clock.pending() });
        }
        case "GET /messages":
          return json(200, world.logs.messages.filter((m) => (!q.get("provider") || m.provider === q.get("provider")) && (!q.get("direction") || m.direction === q.get("direction"))));
        case "GET /requests":
          return json(
            200,
            world.logs.requests.filter(
              (r) =>
                (!q.get("provider") || r.provider === q.get("provider")) &&
                (!q.get("method") || r.method === q.get("method")) &&
                (!q.get("path") || r.path.startsWith(q.get("path")!)),
            ),
          );
        case "GET /webhooks":
          return json(200, world.webhooks.list((q.get("provider") as SimProvider | null) ?? undefined));
      }
      const replay = /^\/webhooks\/([^/]+)\/replay$/.exec(req.path);
      if (req.method === "POST" && replay) {
        const delivery = world.webhooks.replay(replay[1]!);
        return delivery ? json(200, delivery) : json(404, { message: "no such delivery" });
      }
      const providerControl = /^\/(timelinesai|instantly|resend|llm)(\/.*)$/.exec(req.path);
      if (providerControl) {
        const reply = await world.simulators[providerControl[1] as SimProvider].control({ ...req, path: providerControl[2]! });
        if (reply) return reply;
      }
      return json(404, { message: `no control ${key}` });
    } catch (error) {
      if (error instanceof z.ZodError) return json(400, { message: "invalid control request", issues: error.issues });
      if (error instanceof BadJsonError) return json(400, { message: error.message });
      throw error;
    }
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const isText = typeof reply.body === "string";
  const payload = reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(reply.body === undefined ? {} : { "content-type": isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8" }),
    ...reply.headers,
  });
  res.end(payload);
}

/** What only an in-process host can pass (functions, not configuration). */
export interface SimulatorHooks {
  /**
   * Simulated time (epoch ms) from the host's own clock, for real-mode clocks: a test running a
   * sped-up day on a clock whose speed changes shares it with the simulators this way.
   */
  now?: () => number;
}

export async function startSimulators(input: SimulatorOptions = {}, hooks: SimulatorHooks = {}): Promise<RunningSimulators> {
  const options = simulatorOptionsSchema.parse(input);
  const host = new SimulatorHost(options, hooks);
  const server: Server = createServer((req, res) => {
    host.handle(req, res).catch((error: unknown) => {
      process.emitWarning(`simulator request failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) send(res, json(500, { message: "simulator error" }));
    });
  });
  // Idle keep-alive sockets stay open as a provider's would (the app server's own 65 s): undici
  // drops a connection whose server hint is under its 1 s threshold, so a shorter timeout meant a new
  // TCP connection for every request. close() below ends them (closeAllConnections).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host}:${port}`;
  return {
    origin,
    port,
    urls: simulatorBaseUrls(origin),
    idle: () => host.idle(),
    close: async () => {
      host.releaseHanging();
      host.clock.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
