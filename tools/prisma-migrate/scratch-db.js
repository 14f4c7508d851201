// Creates or drops the scratch database that `migrate diff --from-migrations` replays the
// migrations into (Prisma 6 with a driver adapter replays into the adapter's own database, so it
// must be a throwaway one).
//
//   node scratch-db.js create <adminUrl> <dbName>   → prints the scratch database URL
//   node scratch-db.js drop   <adminUrl> <dbName>
import pg from "pg";

const [command, adminUrl, dbName] = process.argv.slice(2);
if (!["create", "drop"].includes(command ?? "") || !adminUrl || !dbName) {
  console.error("usage: node scratch-db.js create|drop <adminUrl> <dbName>");
  process.exit(64);
}
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(dbName)) {
  console.error(`scratch-db: refusing unusual database name ${JSON.stringify(dbName)}`);
  process.exit(64);
}

const client = new pg.Client({ connectionString: adminUrl });
await client.connect();
try {
  const name = pg.escapeIdentifier(dbName);
  // WITH (FORCE): a crashed earlier run may have left a connection open.
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  if (command === "create") {
    await client.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    process.stdout.write(url.toString());
  }
} finally {
  await client.end();
}
