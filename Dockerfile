# syntax=docker/dockerfile:1
# icp-audit nightly container: `icp-audit schedule` audits the profile's site at its cron time.
# Build: docker build -t icp-audit .    Run: docker run -v icp-data:/data icp-audit
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY crawler ./crawler
COPY rules ./rules
COPY storage ./storage
COPY reports ./reports
# The CA bundle secret is only for building behind an intercepting proxy; elsewhere it is absent.
RUN --mount=type=secret,id=cacert \
    if [ -s /run/secrets/cacert ]; then export PIP_CERT=/run/secrets/cacert; fi; \
    python3 -m venv /opt/icp-audit \
    && /opt/icp-audit/bin/pip install --no-cache-dir '.[ocr]' \
    && /opt/icp-audit/bin/icp-audit --help > /dev/null

FROM python:3.11-slim
# tzdata: the schedule runs in Asia/Shanghai and TZ sets the log clock; ca-certificates: TLS to the
# audited site; chromium and fonts-noto-cjk: browser mode (`render = "auto"`, the default) renders the
# pages static analysis cannot settle and draws the footer pictures with Chinese glyphs. Versions are
# not pinned: the slim base's Debian release fixes them, and pinned Debian package versions disappear
# from the mirrors after security updates. libatomic1: Playwright's bundled Node.js driver needs it.
# tesseract-ocr and tesseract-ocr-chi-sim: footer images (licence badges, scanned certificates) read with OCR.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        tzdata ca-certificates chromium fonts-noto-cjk libatomic1 tesseract-ocr tesseract-ocr-chi-sim \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 icp \
    && useradd --uid 10001 --gid icp --create-home --shell /usr/sbin/nologin icp \
    && mkdir -p /data \
    && chown icp:icp /data
COPY --from=build /opt/icp-audit /opt/icp-audit
ENV PATH=/opt/icp-audit/bin:$PATH \
    ICP_AUDIT_CHROMIUM=/usr/bin/chromium \
    ICP_AUDIT_DB=/data/icp-audit.db \
    ICP_AUDIT_OUT=/data/reports \
    TZ=Asia/Shanghai \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
# Numeric so that Kubernetes' runAsNonRoot can verify it; a bind-mounted /data must be writable by 10001.
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
# Healthy while the last run of every scheduled site is complete and at most one schedule period plus a
# grace old. `schedule` and `health` both read ICP_AUDIT_CONFIG (a profile or a folder of profiles), so
# set that rather than --config and the check follows the schedule.
HEALTHCHECK --interval=5m --timeout=30s --start-period=1m CMD ["icp-audit", "health"]
# Exec form: icp-audit is PID 1 and receives SIGTERM itself (`schedule` stops cleanly on it).
ENTRYPOINT ["icp-audit"]
CMD ["schedule"]
