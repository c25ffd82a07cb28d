# syntax=docker/dockerfile:1
# The backend image: deploy/services.json "backend" (CMD) and "migrate" (the release step runs
# `alembic upgrade head` in this image). Build from the repository root:
#   docker build -f deploy/backend.Dockerfile -t authbridge-backend .
# Base images pinned to exact versions, the ones `npm test` and `npm run prod` run here; bump them on
# purpose. tools/prod/src/deploy-drift.test.ts checks this file against deploy/services.json.

FROM ghcr.io/astral-sh/uv:0.13.9 AS uv

FROM python:3.11.7-slim-bookworm AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app/backend
# Dependencies first (a layer that changes only with uv.lock), then the app. The verifier and the
# session check are packages/python, a path dependency: installed into the virtualenv as a copy
# (--no-editable), so the runtime stage needs nothing outside /app/backend.
COPY packages/python /app/packages/python
COPY backend/pyproject.toml backend/uv.lock ./
RUN uv sync --frozen --no-dev --no-editable --no-install-project
COPY backend/alembic.ini ./
COPY backend/app ./app
RUN uv sync --frozen --no-dev --no-editable

FROM python:3.11.7-slim-bookworm AS runtime
# ca-certificates: the system CAs that verify Neon's certificate (docs/operations.md "Deploying against Neon").
RUN apt-get update \
    && apt-get install --yes --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin authbridge
COPY --from=build /app/backend /app/backend
WORKDIR /app/backend
ENV PATH=/app/backend/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    LOG_FORMAT=json
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health/live' % os.environ.get('PORT', '8000'), timeout=2)"]
CMD ["python", "-m", "app"]
