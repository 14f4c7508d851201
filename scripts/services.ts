/**
 * `npm run services -- start|stop [dev|test]`: start or stop the project's own Postgres and Redis
 * without the app (useful for running a worker or a single test file by hand). `start` prints the URLs
 * to export.
 */
import { DEV_LAYOUT, TEST_LAYOUT } from "./lib/layout";
import { ensureServices, stopLocalServices } from "./lib/services";

const [command = "start", which = "dev"] = process.argv.slice(2);
const layout = which === "test" ? TEST_LAYOUT : DEV_LAYOUT;
if (command === "stop") {
  stopLocalServices(layout);
} else if (command === "start") {
  const services = await ensureServices(layout);
  process.stdout.write(`DATABASE_ADMIN_URL=${services.adminUrl}\nDATABASE_URL=${services.appUrl}\nREDIS_URL=${services.redisUrl}\n`);
} else {
  process.stderr.write("usage: npm run services -- start|stop [dev|test]\n");
  process.exit(2);
}
