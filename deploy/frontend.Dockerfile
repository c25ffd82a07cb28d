# syntax=docker/dockerfile:1
# The frontend image: Next.js's standalone server (output: "standalone"), started as
# deploy/services.json "frontend" says. Build from the repository root:
#   docker build -f deploy/frontend.Dockerfile -t authbridge-frontend .
# Base images pinned to exact versions, the ones `npm test` and `npm run prod` run here; bump them on
# purpose. tools/prod/src/deploy-drift.test.ts checks this file against deploy/services.json.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first (a layer that changes only with the lockfile), then the app.
COPY package.json package-lock.json ./
COPY frontend/package.json frontend/
COPY dev/package.json dev/
COPY e2e/package.json e2e/
# Every workspace's package.json for npm ci; the frontend's tests read mail through @authbridge/mail-client, which
# next build type-checks with them.
COPY tools/harness/package.json tools/harness/
COPY tools/prod/package.json tools/prod/
COPY tools/bench/package.json tools/bench/
COPY tools/faults/package.json tools/faults/
COPY tools/mail-client tools/mail-client
# The workspace package the frontend imports as built (@authbridge/better-auth): npm ci links it, then its dist/.
COPY packages/better-auth/package.json packages/better-auth/tsconfig.build.json packages/better-auth/
COPY packages/better-auth/src packages/better-auth/src
RUN npm ci --workspace frontend --include-workspace-root=false && npm run build --workspace packages/better-auth
COPY frontend ./frontend
# next build validates the configuration (next.config.ts imports src/env.ts) and renders nothing
# with it (every page is dynamic): these stand-ins live for this command only, never in the image.
RUN BETTER_AUTH_SECRET="build-only-$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" \
    DATABASE_URL="postgresql://build:build@localhost:5432/build?sslmode=require" \
    npm run build --workspace frontend

FROM node:20.20.2-bookworm-slim AS runtime
# .next/standalone/ holds frontend/ (server.js, start.mjs, static files) and the traced node_modules/.
COPY --from=build /app/frontend/.next/standalone /app
WORKDIR /app/frontend
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "start.mjs"]
