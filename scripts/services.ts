/**
 * `npm run services -- start|stop [dev|test]`: start or stop the project's own Postgres and Redis
 * without the app (useful for running a worker or tests by hand). Prints the URLs to export.
 */
import { DEV_LAYOUT, TEST_LAYOUT } from "./lib/layout";
import { ensureServices } from "./lib/services";

const [command = "start", which = "dev"] = process.argv.slice(2);
const layout = which === "test" ? TEST_LAYOUT : DEV_LAYOUT;
const services = await ensureServices(layout);
if (command === "stop") {
  services.stop();
} else {
  process.stdout.write(
    `DATABASE_ADMIN_URL=${services.adminUrl}\nDATABASE_URL=${services.appUrl}\nREDIS_URL=${services.redisUrl}\n`,
  );
}
