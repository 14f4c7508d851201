import type { JobDefinition } from "./definition";
import { purgeSessionsJob } from "./maintenance/purge-sessions";

/** Every queue the system runs. Adding a queue = adding its definition here. */
export const jobRegistry: JobDefinition[] = [purgeSessionsJob] as JobDefinition[];
