/**
 * `npm run worker`: a worker process (jobs/worker.ts). Beside a running `npm start` on a developer's
 * machine it finds the project's local Postgres and Redis by itself (scripts/lib/local-env.ts; never
 * starts them); with DATABASE_URL / REDIS_URL set, as in production, it uses those.
 */
import { findLocalServices } from "./lib/local-env";

await findLocalServices({ start: false });
await import("../jobs/worker");
