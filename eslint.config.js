import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import serialQueries from "./tools/eslint/serial-queries.js";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "server/generated/**", "node_modules/**", ".cache/**", ".data/**", "test-results/**", "playwright-report/**", "tools/prisma-migrate/node_modules/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  { files: ["**/*.js", "**/*.cjs"], languageOptions: { globals: globals.node } },
  // One connection, one query at a time: no Promise.all over a transaction's queries (tools/eslint/serial-queries.js).
  { files: ["**/*.{ts,tsx}"], plugins: { "serial-queries": serialQueries }, rules: { "serial-queries/no-concurrent-queries": "error" } },

  // The provider simulators are sandbox tooling: started by scripts, tests and benches, never imported
  // by the product (app/, server/, jobs/).
  {
    files: ["app/**/*.{ts,tsx}", "server/**/*.ts", "jobs/**/*.ts"],
    ignores: ["server/sandbox/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [{ group: ["**/sandbox/**", "#server/sandbox/**"], message: "Production code may not import the provider simulators (server/sandbox/)." }] }],
    },
  },
  // A module under server/ without the `.server` suffix is isomorphic: the browser may import it (rules,
  // schemas, the spintax parser), so it may not pull in Node, the database or another server-only module.
  {
    files: ["server/**/*.ts"],
    ignores: ["server/**/*.server.ts", "server/sandbox/**", "server/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/*.server", "#server/**/*.server", "**/sandbox/**"], allowTypeImports: true, message: "A module without the .server suffix may run in the browser: it cannot import server-only modules (rename it to *.server.ts if it must)." },
            { regex: "^(node:.*|pg|pg-boss|ioredis|@prisma/.*|resend|svix|express|pino(-.*)?|prom-client|bcryptjs)$|/generated/prisma/client$", allowTypeImports: true, message: "Node and server-only packages belong in *.server.ts modules." },
          ],
        },
      ],
    },
  },
  // Browser code (components, client helpers) never imports server-only modules; route modules may
  // (Remix removes loaders and actions, and .server modules, from the browser bundle).
  {
    files: ["app/components/**/*.{ts,tsx}", "app/lib/**/*.{ts,tsx}"],
    ignores: ["app/**/*.server.ts", "app/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/*.server", "#server/**/*.server", "#jobs/**", "**/jobs/**", "**/sandbox/**"], allowTypeImports: true, message: "Browser code cannot import server-only modules." },
            { regex: "^(node:.*|pg|pg-boss|ioredis|@prisma/.*)$|/generated/prisma/client$", allowTypeImports: true, message: "Browser code cannot import Node or database packages." },
          ],
        },
      ],
    },
  },
);
