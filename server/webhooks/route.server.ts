import type { ActionFunctionArgs } from "@remix-run/node";
import type { PgBoss } from "pg-boss";
import { bossFrom } from "../http/load-context";
import { pgBossTransactionalQueue } from "../events/transactional-queue.server";
import { groupCommitSink, type EventSink } from "./group-commit.server";
import { ingestWebhook } from "./ingest.server";
import type { Credentials, WebhookSource } from "./source";

export { methodNotAllowed } from "./reply";

/** One sink per pg-boss (per process, in practice), so concurrent requests of all routes group together. */
const sinks = new WeakMap<PgBoss, EventSink>();

function sinkFor(boss: PgBoss): EventSink {
  let sink = sinks.get(boss);
  if (!sink) {
    sink = groupCommitSink(pgBossTransactionalQueue(boss));
    sinks.set(boss, sink);
  }
  return sink;
}

/**
 * A Remix `action` for one provider. The started pg-boss comes through the load context: the Remix
 * build bundles its own copy of server/, so a module-level singleton here would be a second,
 * never-started pg-boss (server/http/load-context.ts).
 */
export function webhookAction<C extends Credentials, P>(source: WebhookSource<C, P>) {
  return ({ request, params, context }: ActionFunctionArgs): Promise<Response> => {
    const boss = bossFrom(context);
    return ingestWebhook(source, request, params, { sink: boss ? sinkFor(boss) : null });
  };
}
