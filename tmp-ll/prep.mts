import { migrate } from "/work/wt/leadlist/server/db/migrate.server";
await migrate({ adminUrl: process.env.DATABASE_ADMIN_URL!, appUrl: process.env.DATABASE_URL! });
