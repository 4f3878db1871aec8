# syntax=docker/dockerfile:1
# icp-audit nightly container: `icp-audit schedule` audits the profile's site at its cron time.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY crawler ./crawler
COPY rules ./rules
COPY storage ./storage
COPY reports ./reports
# The CA bundle secret is only for building behind an intercepting proxy; elsewhere it is absent.
RUN --mount=type=secret,id=cacert \
    if [ -s /run/secrets/cacert ]; then export PIP_CERT=/run/secrets/cacert; fi; \
    python3 -m venv /opt/icp-audit && /opt/icp-audit/bin/pip install --no-cache-dir .

FROM python:3.11-slim
# tzdata: the schedule runs in Asia/Shanghai; ca-certificates: TLS to the audited site.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 icp \
    && mkdir -p /data && chown icp /data
COPY --from=build /opt/icp-audit /opt/icp-audit
ENV PATH=/opt/icp-audit/bin:$PATH \
    ICP_AUDIT_DB=/data/icp-audit.db \
    ICP_AUDIT_OUT=/data/reports \
    TZ=Asia/Shanghai \
    PYTHONUNBUFFERED=1
USER icp
WORKDIR /data
VOLUME ["/data"]
ENTRYPOINT ["icp-audit"]
CMD ["schedule"]
