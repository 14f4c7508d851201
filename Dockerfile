# One image for every process of Cerniq Outreach: the web process (`npm run serve`), the workers
# (`npm run worker`) and one-shot commands (`npm run db:migrate`, `npm run ops -- …`); compose (and any
# orchestrator) picks the process with the command. Not built by the tests (no registry access here);
# tests/deploy/container-files.test.ts checks that this file and docker-compose.yml agree with the project.
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
ENV CHECKPOINT_DISABLE=1
COPY package.json package-lock.json ./
# postinstall runs `prisma generate`, which needs the schema; no engine binary is downloaded (Prisma 7, no Rust engine).
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20.19-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 LOG_FORMAT=json CHECKPOINT_DISABLE=1
# The processes run TypeScript through tsx (as `npm run serve` / `npm run worker` do everywhere), so the
# dev dependencies stay in the image; the app is the same code the tests ran.
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"
CMD ["npm", "run", "serve"]
