# Klaxon's image. The first stage compiles better-sqlite3 and builds dist/; the second holds only what runs:
# dist/, the migrations and the production packages, started as the unprivileged `node` user.
#   docker build -t klaxon .
#   docker run -d -p 3000:3000 --env-file .env -v klaxon-data:/data -v "$PWD/klaxon.yml:/etc/klaxon/klaxon.yml:ro" klaxon
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The packages first, so that a change to the code alone reuses this layer; the build comes once the code is in.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3 esbuild
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    KLAXON_DB=/data/klaxon.db \
    KLAXON_CONFIG=/etc/klaxon/klaxon.yml \
    RUNBOOKS_DIR=/etc/klaxon/runbooks
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/db/migrations ./db/migrations
COPY --from=build /app/db/migrations-pg ./db/migrations-pg
COPY --from=build /app/bin ./bin
COPY --from=build /app/scripts ./scripts
RUN mkdir -p /data /etc/klaxon/runbooks && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# Healthy while the database can be read; Slack being out of reach is reported, not fatal (README: /healthz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself as PID 1 receives SIGTERM and stops cleanly; the operator CLI is `docker exec <container> bin/klaxon.mjs …`.
CMD ["node", "dist/main.js"]
