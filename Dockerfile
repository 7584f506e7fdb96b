# Dockerfile - the toolkit as an image: the nine tools, the pipelines
# (make report / analyze / verify over a run folder), jattach and gnuplot,
# on Debian, as a non-root user (uid 10001).
#
#   docker build -t jvmperf:0.1.0 .
#   docker run --rm -v "$PWD/runs:/data" jvmperf:0.1.0 make report RUN=/data/x
#
# Two uses: the analysis runner (k8s/analysis: a Job running `make report`
# over a run folder on a volume) and the helper image of the capture modes
# C, E and F (ASPROF_IMAGE / the tools image: sh, cat, cp, mkdir, chown, rm,
# tar and jattach). async-profiler is not a Debian package and is not here.
# Only Debian packages are installed; the base is the stock Debian image.
FROM debian:bookworm-slim AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential pkg-config \
      zlib1g-dev libcsv-dev libpcre2-dev libcurl4-openssl-dev libyajl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/jvmperf
COPY . .
RUN make -j"$(nproc)" all \
 && find build -name '*.[od]' -delete

FROM debian:bookworm-slim
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends make gnuplot-nox jattach \
      zlib1g libcsv3 libpcre2-8-0 libcurl4 libyajl2 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd -g 10001 jvmperf \
 && useradd -u 10001 -g 10001 -d /nonexistent -M -s /usr/sbin/nologin jvmperf
# the source tree for its GNUmakefile, pipelines/ and scripts; the tools
# built above in build/release/bin, as `make report` expects them
COPY --from=build /opt/jvmperf /opt/jvmperf
ENV PATH=/opt/jvmperf/build/release/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    MANPATH=/opt/jvmperf/build/man \
    LC_ALL=C.UTF-8
WORKDIR /opt/jvmperf
USER 10001:10001
CMD ["make", "report"]
