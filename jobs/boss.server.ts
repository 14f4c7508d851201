import { PgBoss } from "pg-boss";
import { getEnv } from "../server/config/env.server";
import { logger } from "../server/observability/logger.server";

let instance: PgBoss | undefined;

/**
 * One pg-boss per process, connected as the app role. The `pgboss` schema is owned by the app role
 * (the migration runner creates it), so pg-boss installs and upgrades its own tables there.
 */
export function getBoss(): PgBoss {
  if (!instance) {
    const env = getEnv();
    instance = new PgBoss({
      connectionString: env.DATABASE_URL,
      schema: env.PGBOSS_SCHEMA,
      application_name: "cerniq-pgboss",
      max: 10,
      // The migration runner creates the schema for the app role, which has no CREATE on the database.
      createSchema: false,
    });
    instance.on("error", (error: Error) => logger.error({ action: "pgboss.error", err: error }, "pg-boss error"));
  }
  return instance;
}

export async function startBoss(): Promise<PgBoss> {
  const boss = getBoss();
  await boss.start();
  return boss;
}

export async function stopBoss(): Promise<void> {
  if (instance) {
    const boss = instance;
    instance = undefined;
    await boss.stop({ graceful: true, timeout: 20_000 });
  }
}
