# syntax=docker/dockerfile:1
# One image per Pacer service, from one file:
#   docker build --build-arg SERVICE=commission --build-arg PORT=3004 -t pacer/commission:dev .
# SERVICE is the app folder under apps/; PORT only documents the listening port (EXPOSE). The service
# reads its real port from the PORT environment variable (default: its SPEC §1 port).
# See docs/deployment.md.

ARG NODE_IMAGE=node:24-slim

# ---- deps: every dependency, for the build ------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

# ---- build: swc-compile apps/<SERVICE> and libs/ into dist/ ---------------------------------------
FROM deps AS build
ARG SERVICE
ARG PORT
RUN test -n "${SERVICE}" -a -n "${PORT}" \
    || { echo 'build with --build-arg SERVICE=<app folder under apps/> --build-arg PORT=<its port>' >&2; exit 1; }
COPY tsconfig.base.json ./
COPY tools/build ./tools/build
COPY libs ./libs
COPY apps ./apps
RUN node tools/build/build.mjs --service "${SERVICE}" \
    && test -f "dist/apps/${SERVICE}/src/main.js"

# ---- prod-deps: production dependencies only ----------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG PORT
LABEL org.opencontainers.image.title="pacer-${SERVICE}" \
      org.opencontainers.image.licenses="Apache-2.0"
# npm/corepack are not needed to run the service; removing them shrinks the image and its CVE surface.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn* \
           /usr/local/bin/yarn /usr/local/bin/yarnpkg \
    && groupadd --system --gid 10001 pacer \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin pacer
# The heap bound of every service, here and nowhere else (tools/dev/start.ts reads it, k8s/test checks
# the pods' memory limits against it). V8 sizes its old generation from the machine, not from the live
# heap (~60 MB during a 1 GiB import), and lets garbage pile up: unbounded, a streamed import peaked at
# 473 MB RSS. 128 MB of old space and 8 MB semi-spaces (with the growing step of CMD below) keep it flat
# (~180 MB, peak 196 MB over 1 GiB; docs/deployment.md "Memory", tools/bench/activity-ingestion.bench.ts).
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    HOME=/tmp \
    NODE_OPTIONS="--enable-source-maps --max-old-space-size=128 --max-semi-space-size=8"
WORKDIR /app
# Code and dependencies stay owned by root and read-only for the service user: the container writes
# nothing outside /tmp, so it runs with a read-only root filesystem (mount an emptyDir/tmpfs on /tmp).
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 10001:10001
EXPOSE ${PORT}
# `exec` makes node PID 1 so it receives SIGTERM directly (graceful shutdown). Kubernetes and compose
# may override the command, e.g. with `node dist/apps/<svc>/src/migrate.js` for migrations.
# --heap-growing-percent=100: with an old space this small V8 grows the heap by small steps and
# collects far more often (~25 % more CPU per activity under load); doubling on each step gives most
# of that back and still stays under 200 MB RSS (~180 MB flat over a 1 GiB import, docs/deployment.md
# "Memory"). NODE_OPTIONS refuses the flag, so it goes here, and the Deployments repeat it (k8s/test).
CMD ["/bin/sh", "-c", "exec node --heap-growing-percent=100 dist/apps/${SERVICE}/src/main.js"]
