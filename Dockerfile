# The application image: one build serves the API, the worker and the migration job (by command).
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY config config
COPY domain domain
COPY workflows workflows
COPY activities activities
COPY db db
COPY api api
COPY ops ops
COPY worker worker
COPY scripts scripts
COPY console console
RUN npm run build && npm prune --omit=dev

FROM node:24.21.0-bookworm-slim
# pg_dump/pg_restore (the server's major version) and sqlite3 for backups and restores.
RUN apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client-15 sqlite3 \
  && rm -rf /var/lib/apt/lists/*
# The font PDF documents embed for Chinese text (Apache-2.0 or GPL-3+ with font exception).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
