import path from "node:path";
import type { ServiceLayout } from "./services";

const root = path.resolve(import.meta.dirname, "../..");

/** Dev and test use separate folders and ports so `npm test` never touches the dev database. */
export const DEV_LAYOUT: ServiceLayout = {
  root: path.join(root, ".data/dev"),
  pgPort: Number(process.env.PG_PORT ?? 54329),
  redisPort: Number(process.env.REDIS_PORT ?? 63799),
  database: "cerniq",
};

export const TEST_LAYOUT: ServiceLayout = {
  root: path.join(root, ".data/test"),
  pgPort: Number(process.env.TEST_PG_PORT ?? 54339),
  redisPort: Number(process.env.TEST_REDIS_PORT ?? 63809),
  database: "cerniq_test",
};

export const PROJECT_ROOT = root;
