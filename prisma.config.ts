// Prisma 7 CLI configuration. Only `prisma generate` runs here: Prisma 7's migrate commands need the
// native schema engine, which cannot be downloaded offline (docs/decisions/0001-offline-migrations.md).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
