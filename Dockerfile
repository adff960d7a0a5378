# syntax=docker/dockerfile:1
# Multi-stage: dependencies and the project are built into a virtualenv, which is all the slim
# runtime image receives. Migrations are their own command:
#   docker run --rm -e FTR_ENV=production -e FTR_DATABASE_URL=... -e FTR_ENCRYPTION_KEYS=... IMAGE ftr migrate
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /venv
COPY requirements-runtime.lock ./
RUN /venv/bin/pip install -r requirements-runtime.lock
COPY pyproject.toml README.md LICENSE ./
COPY transliteration ./transliteration
COPY matching ./matching
COPY service ./service
RUN /venv/bin/pip install --no-deps .

FROM python:3.11-slim AS runtime
RUN groupadd --system --gid 10001 ftr \
 && useradd --system --uid 10001 --gid ftr --home-dir /srv/ftr --create-home ftr \
 && mkdir /data && chown ftr:ftr /data
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FTR_DATA_DIR=/data
USER ftr
WORKDIR /srv/ftr
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["ftr", "serve", "--host", "0.0.0.0", "--port", "8000"]
