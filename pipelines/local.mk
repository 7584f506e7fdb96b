# pipelines/local.mk - capture for RUNTIME=local: the same run folder as a
# cluster capture (pipelines/README.md), made against the local lab: JVM
# replicas of the fixture service on 127.0.0.1 behind nginx, scraped by
# Prometheus (tests/lab/).
#
#   make RUNTIME=local lab-start                      start the lab
#   make RUNTIME=local RUN=runs/x phase1              load one replica, record it
#   make RUNTIME=local RUN=runs/y phase2              load through nginx, record all
#   make RUNTIME=local RUN=runs/z phase1 PROFILER=perf   a perf snapshot in the burst
#   make RUNTIME=local RUN=runs/w watch               phase 2 automated (during a load)
#   make RUNTIME=local lab-stop                       stop every lab process
#
# Steps one by one: capture-pods, capture-load, capture-profile (DURATION
# seconds now, during a load started elsewhere), capture-metrics; `capture`
# runs them in order: with PROFILER=jfr (the default) each selected pod's
# Flight Recorder records the whole load (profiles/POD.jfr, started with
# jattach before the load, dumped and stopped when it ends, as a cluster
# capture with PROFILER=jfr); with perf or asprof a snapshot is taken
# during the load's burst.  `make -n` prints the commands;
# each run's capture/commands.log records the ones that really ran.
#
# Shared variables: RUN, POD (phase 1's replica; default the first), PODS
# (replicas to profile; phase 1: POD, phase 2: all), PROFILER (jfr, perf or
# asprof; default jfr, or asprof when ASPROF_BUNDLE is set), JFC (the
# recording's settings, pipelines/jvmperf.jfc), JATTACH (jattach), EVENT
# (snapshots: cpu; others need PROFILER=asprof with ASPROF_BUNDLE, an
# async-profiler folder or .tar.gz), DURATION (snapshot seconds, 10),
# INTERVAL (asprof -i), THREADS (1 = asprof -t), PROM_URL (the lab's).
# Lab variables: LAB_DIR, LAB_REPLICAS (3), LAB_PORT (18080, nginx; replica
# i on LAB_PORT+i), LAB_PROM_PORT (19090), LAB_HOT (the replica with the
# larger data set, default the last), LAB_ITEMS (200), LAB_HOT_ITEMS (2200),
# LAB_KIND (cpu or lock: the hot replica's bottleneck), LAB_LOCK_HOLD (lock:
# ms the monitor is held, 25), LAB_FIX=1 (start the fixed service),
# LAB_WARMUP (unrecorded warm-up load before the load proper, 8 s),
# LAB_THREADS (steady load threads, 6),
# LAB_LOAD_SECONDS (60), LAB_BURST_THREADS (12),
# LAB_BURST_START/LAB_BURST_END (25/40 s into the load), LAB_PROFILE_DELAY
# (snapshots: 28 s into the load), LAB_PHASE (for the capture-* steps, 1).

ifeq ($(RUNTIME),local)

LAB_DIR   ?= build/lab/default
LAB_BIN   ?= build/release/bin
LAB_PHASE ?= $(or $(PHASE),1)

# Passes only the variables that are set, so `make -n` shows what matters.
lab_vars = $(strip $(foreach v,$(1),$(if $($(v)),$(v)='$($(v))')))
LAB_START_ENV = $(call lab_vars,LAB_DIR LAB_REPLICAS LAB_PORT LAB_PROM_PORT LAB_HOT LAB_ITEMS \
	LAB_HOT_ITEMS LAB_KIND LAB_LOCK_HOLD LAB_FIX LAB_SEED)
LAB_CAPTURE_ENV = $(call lab_vars,LAB_DIR RUN POD PODS PROFILER JFC JATTACH EVENT DURATION INTERVAL THREADS \
	ASPROF_BUNDLE PROM_URL LAB_THREADS LAB_LOAD_SECONDS LAB_BURST_THREADS LAB_BURST_START LAB_BURST_END \
	LAB_PROFILE_DELAY LAB_WARMUP LAB_SEED) BIN='$(LAB_BIN)'
LAB_NEED_RUN = $(if $(RUN),,$(error RUN is not set: make RUNTIME=local RUN=runs/NAME $@))

.PHONY: lab-start lab-stop lab-status capture-pods capture-load capture-profile \
	capture-metrics capture-convert capture phase1 phase2

lab-start:
	$(LAB_START_ENV) tests/lab/lab.sh start

lab-stop:
	LAB_DIR='$(LAB_DIR)' tests/lab/lab.sh stop

lab-status:
	LAB_DIR='$(LAB_DIR)' tests/lab/lab.sh status

capture-pods capture-load capture-profile capture-metrics capture-convert:
	$(LAB_NEED_RUN)
	$(LAB_CAPTURE_ENV) PHASE='$(LAB_PHASE)' tests/lab/capture.sh $(@:capture-%=%)

capture:
	$(LAB_NEED_RUN)
	$(LAB_CAPTURE_ENV) PHASE='$(LAB_PHASE)' tests/lab/capture.sh run

phase1 phase2:
	$(LAB_NEED_RUN)
	$(LAB_CAPTURE_ENV) PHASE='$(@:phase%=%)' tests/lab/capture.sh run

# Phase 2 automated against the lab: pipelines/k8s/watch.sh, the same poll
# and decision as on a cluster, its runtime steps done by
# tests/lab/watch-local.sh (a Flight Recorder ring buffer on every replica
# through jattach, JFR.dump of the hot replica and a peer, the lab's
# queries pipelines/queries.tsv). The load is started elsewhere (e.g.
# capture-load, or the load driver); WATCH_* as for RUNTIME=k8s
# (pipelines/capture.mk), PROM_URL default the lab's.
# (defaults: pipelines/watch.mk)
LAB_JATTACH    ?= jattach
LAB_WATCH_DRY   = $(if $(findstring n,$(firstword -$(MAKEFLAGS))),1,0)

.PHONY: watch
watch:
	$(LAB_NEED_RUN)
	+LAB_DIR='$(LAB_DIR)' JATTACH='$(LAB_JATTACH)' CAP_PLAN=$(LAB_WATCH_DRY) bash pipelines/k8s/watch.sh \
		$(strip -I tests/lab/watch-local.sh -r '$(RUN)' $(if $(PROM_URL),-u '$(PROM_URL)') \
		-q '$(WATCH_QUERY)' -Q pipelines/queries.tsv -t '$(LAB_BIN)' -x '$(WATCH_MAX)' \
		-c '$(WATCH_COOLDOWN)' -C '$(WATCH_COUNT)' -L '$(WATCH_LOOKBACK)' -i '$(WATCH_POLL)' \
		-g '$(WATCH_MARGIN)' -m '$(WATCH_MIN_DURATION)' -R '$(WATCH_PEER_RATIO)' -s '$(or $(LAB_STEP),2)' -a '$(WATCH_MAXAGE)')

endif
