# pipelines/capture.mk - capture on a Kubernetes cluster (RUNTIME=k8s, the
# default): the run folder of pipelines/README.md, made with kubectl.
#
#   make RUN=runs/x phase1 JMX=plan.jmx
#   make RUN=runs/y phase2 JMX=plan.jmx MODE=D PROFILER=asprof
#   make -n -s RUN=runs/x phase1 ...      every kubectl command, nothing run
#
# Steps: capture-pods (pods, versions), capture-load (pipelines/load.mk),
# capture-profile (modes A-F), capture-metrics (pipelines/metrics.mk),
# capture-clean (leftovers of an interrupted capture). `capture` (PHASE=1|2),
# `phase1` and `phase2` run them in order, the load and the profile side by
# side: a recording (PROFILER=jfr or asprof) starts before the load, which
# waits for it, and stops when the load ends; a snapshot
# (PROFILER=asprof-collapsed) starts PROFILE_DELAY seconds after the load's
# real start. They meet through RUN/capture/sync/. Under `make -n` the steps
# print their kubectl commands instead of running them (CAP_PLAN=1, see
# pipelines/k8s/lib.sh); when run, each command is echoed and appended to
# RUN/capture/commands.log. pipelines/CLUSTER.md is the user's guide.
#
# The commands (what a test may replace with stand-ins):
#   KUBECTL       kubectl here (default kubectl)
#   JATTACH       jattach here, copied into the pod by mode A (default jattach)
#   IMAGE_JATTACH jattach inside the images: app (B), sidecar (D), tools
#                 image (C, E, F) (default /usr/bin/jattach). Not JATTACH_PATH:
#                 jattach itself reads that as its temporary folder.
#   ASPROF_BUNDLE async-profiler release folder here, copied in by mode A
#   ASPROF_HOME   async-profiler release inside the images (/opt/async-profiler)
#   PROMRANGE     promrange here (pipelines/metrics.mk)
#
# Variables (shared names): RUN, NS, SELECTOR, POD, SERVICE, EVENT, DURATION,
# INTERVAL, THREADS (1 = asprof -t), MODE (A-F). Capture's own: PROFILER
# (jfr, asprof, asprof-collapsed), JFC (Flight Recorder settings,
# pipelines/jvmperf.jfc), TOOLS_IMAGE (C, E, F: the image holding jattach or
# async-profiler; ASPROF_IMAGE is an older name for it), POD_TMPDIR (a
# writable, exec-able folder in the pod), CONTAINER (default: the pod's
# first), PROFILER_CONTAINER (mode D's sidecar), JVM_UID, JVM_GID and
# DEBUG_PROFILE (mode C: kubectl debug --profile, general or restricted),
# JVM_PID (when several JVMs run), ALLOW_PRIVILEGED=yes (mode F),
# NODE_PROFILER_NS, PARALLEL=yes (snapshots of the selected pods at once),
# PROFILE_DELAY, LOAD_WAIT (seconds the load may take to start and end
# beyond LOAD_SECONDS).

RUNTIME ?= k8s
KUBECTL ?= kubectl

ifeq ($(RUNTIME),k8s)

NS                 ?= perf
SELECTOR           ?= app.kubernetes.io/name=catalog
SERVICE            ?= catalog
PORT               ?= 8080
EVENT              ?= cpu
DURATION           ?= 30
THREADS            ?= 0
MODE               ?= A
ASPROF_HOME        ?= /opt/async-profiler
POD_TMPDIR         ?= /tmp
PROFILER_CONTAINER ?= profiler
ALLOW_PRIVILEGED   ?= no
NODE_PROFILER_NS   ?= perf-node-profiler
DEBUG_PROFILE      ?= general
PHASE              ?= 1
PROFILE_DELAY      ?= 30
PROFILER           ?= jfr
JATTACH            ?= jattach
IMAGE_JATTACH       ?= /usr/bin/jattach
JFC                ?= pipelines/jvmperf.jfc
TOOLS_IMAGE        ?= $(ASPROF_IMAGE)
LOAD_WAIT          ?= 900

# `make -n` (any spelling) sets CAP_PLAN=1: the `+` recipe lines still run
# and print the kubectl commands they would run.
CAP_DRY  = $(if $(findstring n,$(firstword -$(MAKEFLAGS))),1)
CAP_STEP = CAP_PLAN=$(if $(CAP_DRY),1,0) bash pipelines/k8s
CAP_SUB  = $(MAKE) --no-print-directory
CAP_NEED_RUN = $(if $(RUN),,$(error RUN is not set: make RUN=runs/NAME $@))
# -p POD, or the selector: phase 1 its first pod, phase 2 all of them
CAP_PODS = $(if $(POD),-p '$(POD)',-l '$(SELECTOR)' $(if $(filter 1,$(PHASE)),-1))
cap_opt  = $(if $(2),$(1) '$(2)')

# the recording backends use the Flight Recorder settings or asprof's
CAP_JFR    = $(filter jfr,$(PROFILER))
CAP_ASPROF = $(filter-out jfr,$(PROFILER))
# how profile.sh reaches and records the JVMs (make watch passes them too)
CAP_TOOL_ARGS = -m '$(MODE)' -n '$(NS)' \
	$(call cap_opt,-c,$(CONTAINER)) -B '$(PROFILER)' -e '$(EVENT)' -d '$(DURATION)' \
	$(call cap_opt,-i,$(INTERVAL)) $(if $(filter 1 yes,$(THREADS)),-t) \
	$(if $(CAP_JFR),$(if $(filter A,$(MODE)),-J '$(JATTACH)',-x '$(IMAGE_JATTACH)') -F '$(JFC)') \
	$(if $(CAP_ASPROF),$(call cap_opt,-b,$(ASPROF_BUNDLE)) -H '$(ASPROF_HOME)') \
	$(call cap_opt,-I,$(TOOLS_IMAGE)) -T '$(POD_TMPDIR)' \
	$(if $(filter D,$(MODE)),-s '$(PROFILER_CONTAINER)') $(call cap_opt,-u,$(JVM_UID)) $(call cap_opt,-G,$(JVM_GID)) \
	$(call cap_opt,-j,$(JVM_PID)) $(if $(filter C,$(MODE)),-g '$(DEBUG_PROFILE)') $(if $(filter F,$(MODE)),-N '$(NODE_PROFILER_NS)' -a '$(ALLOW_PRIVILEGED)') \
	-k '$(KUBECTL)'
CAP_PROFILE_ARGS = -r '$(RUN)' $(CAP_PODS) $(if $(filter yes 1,$(PARALLEL)),-P) \
	$(if $(filter yes,$(CAP_SYNC)),-W -D '$(PROFILE_DELAY)' -M '$(CAP_MAXWAIT)') $(CAP_TOOL_ARGS)
# how long a profile beside the load waits for the load's start and end
CAP_MAXWAIT = $(shell echo $$(( $(LOAD_SECONDS) + $(LOAD_WAIT) )))

.PHONY: capture-pods capture-profile capture-clean watch \
	capture phase1 phase2

capture-pods:
	$(CAP_NEED_RUN)
	+$(CAP_STEP)/pods.sh -r '$(RUN)' -n '$(NS)' -l '$(SELECTOR)' -S '$(SERVICE)' -k '$(KUBECTL)'

capture-profile:
	$(CAP_NEED_RUN)
	+$(CAP_STEP)/profile.sh $(strip $(CAP_PROFILE_ARGS))

# Phase 2 automated (pipelines/k8s/watch.sh): a Flight Recorder ring
# buffer on every pod; when a pod stands out in WATCH_QUERY (spikes --peers
# + outliers over the last WATCH_LOOKBACK s, every WATCH_POLL s: more than
# WATCH_PEER_RATIO times its peers for at least WATCH_MIN_DURATION s), its
# recording and a normal peer's over the spike +- WATCH_MARGIN s and the
# metrics of that range become the run folder RUN (then RUN-2, ... up to
# WATCH_COUNT, each after WATCH_COOLDOWN s); at most WATCH_MAX s.
# (defaults: pipelines/watch.mk)
TOOLS_BIN      ?= build/release/bin

watch:
	$(CAP_NEED_RUN)
	$(if $(filter-out jfr,$(PROFILER)),$(error make watch records with PROFILER=jfr (a Flight Recorder ring buffer), not $(PROFILER)))
	+$(CAP_STEP)/watch.sh $(strip -r '$(RUN)' -n '$(NS)' -l '$(SELECTOR)' -S '$(SERVICE)' \
		-u '$(PROM_URL)' -q '$(WATCH_QUERY)' -Q '$(firstword $(QUERIES))' -t '$(TOOLS_BIN)' \
		-b '$(PROMRANGE)' -x '$(WATCH_MAX)' -c '$(WATCH_COOLDOWN)' -C '$(WATCH_COUNT)' \
		-L '$(WATCH_LOOKBACK)' -i '$(WATCH_POLL)' -g '$(WATCH_MARGIN)' -m '$(WATCH_MIN_DURATION)' -R '$(WATCH_PEER_RATIO)' -s '$(PROM_STEP)' \
		-a '$(WATCH_MAXAGE)' -k '$(KUBECTL)' -- $(CAP_TOOL_ARGS))

capture-clean:
	+$(CAP_STEP)/clean.sh -n '$(NS)' -l '$(SELECTOR)' -T '$(POD_TMPDIR)' -N '$(NODE_PROFILER_NS)' -k '$(KUBECTL)'

# Phase 1: one pod loaded directly and profiled; phase 2: the Service loaded,
# every pod profiled at once (PARALLEL) unless POD names the hot one, which
# `make analyze` finds from the metrics. Under make -n the load and the
# profile are listed one after the other; when run they overlap (-j2) and
# meet through RUN/capture/sync (emptied first).
capture phase1 phase2:
	$(CAP_NEED_RUN)
	+$(CAP_SUB) PHASE=$(CAP_PHASE) capture-pods
	rm -rf '$(RUN)/capture/sync'
	mkdir -p '$(RUN)/capture/sync'
	+$(CAP_SUB) $(strip PHASE=$(CAP_PHASE) CAP_SYNC=yes $(if $(filter 2,$(CAP_PHASE)),PARALLEL=$(or $(PARALLEL),yes)) \
		$(if $(CAP_DRY),,-j2)) capture-load capture-profile
	+$(CAP_SUB) PHASE=$(CAP_PHASE) capture-metrics

CAP_PHASE = $(if $(filter phase%,$@),$(@:phase%=%),$(PHASE))

endif
