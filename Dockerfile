# The besoksrapport webhook: gunicorn serving webhook:create_app() as a non-root user.
# Build: docker build -t besoksrapport .
# Run:   docker run -p 8000:8000 -v besoksrapport-data:/data \
#          -e BESOKSRAPPORT_WEBHOOK_SECRETS=whsec_... -e BESOKSRAPPORT_CONFIG=/config/committee.toml \
#          -v ./committee.toml:/config/committee.toml:ro besoksrapport
# By default (BESOKSRAPPORT_CONFIG=/app/committee.toml) it runs with the example committee.

# Stage 1: the wheel, built from the source (schemas, examples and template are package data).
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY besoksrapport ./besoksrapport
COPY webhook ./webhook
COPY docgen ./docgen
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# Stage 2: the wheel installed (not editable), nothing of the source tree.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BESOKSRAPPORT_DATA_DIR=/data \
    BESOKSRAPPORT_CONFIG=/app/committee.toml \
    BESOKSRAPPORT_BIND=0.0.0.0:8000 \
    BESOKSRAPPORT_PDF=true

# LibreOffice writes each document's PDF/A copy (BESOKSRAPPORT_PDF), with fonts metric-
# compatible with Arial and Calibri so that the PDF is laid out as Word lays out the DOCX.
# Unpinned on purpose: the image should get Debian's security updates when rebuilt.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer-nogui \
       fonts-liberation2 fonts-crosextra-carlito \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 besoksrapport \
    && useradd --system --uid 10001 --gid besoksrapport --home-dir /app \
       --shell /usr/sbin/nologin besoksrapport \
    && mkdir -p /data \
    && chown besoksrapport:besoksrapport /data

WORKDIR /app
COPY --from=build /wheels/*.whl /tmp/
# With the postgresql extra, so that the same image serves one host (SQLite in /data) or
# several (BESOKSRAPPORT_DATABASE_URL=postgresql://…).
RUN pip install --no-cache-dir /tmp/*.whl "psycopg[binary]>=3.1" "psycopg-pool>=3.2" \
    && rm /tmp/*.whl
# The example committee at a stable path, so the image starts as it is; mount your own.
COPY besoksrapport/data/examples/committee.toml /app/committee.toml

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

CMD ["gunicorn", "--config", "python:webhook.gunicorn_conf", "webhook:create_app()"]
