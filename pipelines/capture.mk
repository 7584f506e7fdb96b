# pipelines/capture.mk - capture on a Kubernetes cluster (RUNTIME=k8s, the
# default): the run folder of pipelines/README.md, made with kubectl.
#
#   make RUN=runs/x phase1 JMX=plan.jmx ASPROF_BUNDLE=async-profiler-4.1-linux-x64
#   make RUN=runs/y phase2 JMX=plan.jmx MODE=D
#   make -n -s RUN=runs/x phase1 ...      every kubectl command, nothing run
#
# Steps: capture-pods (pods, versions), capture-load (pipelines/load.mk),
# capture-profile (async-profiler, modes A-F), capture-metrics
# (pipelines/metrics.mk), capture-clean (leftovers of an interrupted capture).
# `capture` (PHASE=1|2), `phase1` and `phase2` run them in order, the profile
# taken PROFILE_DELAY seconds into the load. Under `make -n` the steps print
# their kubectl commands instead of running them (CAP_PLAN=1, see
# pipelines/k8s/lib.sh); when run, each command is echoed and appended to
# RUN/capture/commands.log. pipelines/CLUSTER.md is the user's guide.
#
# Variables (shared names): RUN, NS, SELECTOR, POD, SERVICE, EVENT, DURATION,
# INTERVAL, THREADS (1 = asprof -t), MODE (A-F), ASPROF_BUNDLE (mode A: the
# release folder), KUBECTL. Capture's own: ASPROF_IMAGE (C, E, F: an image with
# the release at ASPROF_HOME), ASPROF_HOME, POD_TMPDIR (a writable, exec-able
# folder in the pod), CONTAINER (default: the pod's first), PROFILER_CONTAINER
# (mode D's sidecar), JVM_UID and DEBUG_PROFILE (mode C: kubectl debug
# --profile, general or restricted), JVM_PID (when several JVMs run),
# ALLOW_PRIVILEGED=yes (mode F), NODE_PROFILER_NS, PARALLEL=yes (profile the
# selected pods at once), PROFILE_DELAY.

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

# `make -n` (any spelling) sets CAP_PLAN=1: the `+` recipe lines still run
# and print the kubectl commands they would run.
CAP_DRY  = $(if $(findstring n,$(firstword -$(MAKEFLAGS))),1)
CAP_STEP = CAP_PLAN=$(if $(CAP_DRY),1,0) bash pipelines/k8s
CAP_SUB  = $(MAKE) --no-print-directory
CAP_NEED_RUN = $(if $(RUN),,$(error RUN is not set: make RUN=runs/NAME $@))
# -p POD, or the selector: phase 1 its first pod, phase 2 all of them
CAP_PODS = $(if $(POD),-p '$(POD)',-l '$(SELECTOR)' $(if $(filter 1,$(PHASE)),-1))
cap_opt  = $(if $(2),$(1) '$(2)')

CAP_PROFILE_ARGS = -r '$(RUN)' -m '$(MODE)' -n '$(NS)' $(CAP_PODS) \
	$(call cap_opt,-c,$(CONTAINER)) -e '$(EVENT)' -d '$(DURATION)' \
	$(call cap_opt,-i,$(INTERVAL)) $(if $(filter 1 yes,$(THREADS)),-t) \
	$(if $(filter yes 1,$(PARALLEL)),-P) $(call cap_opt,-b,$(ASPROF_BUNDLE)) \
	$(call cap_opt,-I,$(ASPROF_IMAGE)) -H '$(ASPROF_HOME)' -T '$(POD_TMPDIR)' \
	$(if $(filter D,$(MODE)),-s '$(PROFILER_CONTAINER)') $(call cap_opt,-u,$(JVM_UID)) \
	$(call cap_opt,-j,$(JVM_PID)) $(if $(filter C,$(MODE)),-g '$(DEBUG_PROFILE)') $(if $(filter F,$(MODE)),-N '$(NODE_PROFILER_NS)' -a '$(ALLOW_PRIVILEGED)') \
	-k '$(KUBECTL)'

.PHONY: capture-pods capture-profile capture-profile-delayed capture-clean \
	capture phase1 phase2

capture-pods:
	$(CAP_NEED_RUN)
	+$(CAP_STEP)/pods.sh -r '$(RUN)' -n '$(NS)' -l '$(SELECTOR)' -S '$(SERVICE)' -k '$(KUBECTL)'

capture-profile:
	$(CAP_NEED_RUN)
	+$(CAP_STEP)/profile.sh $(strip $(CAP_PROFILE_ARGS))

# the profile, PROFILE_DELAY seconds after the load started beside it
capture-profile-delayed:
	sleep $(PROFILE_DELAY)
	+$(CAP_SUB) PHASE=$(PHASE) capture-profile

capture-clean:
	+$(CAP_STEP)/clean.sh -n '$(NS)' -l '$(SELECTOR)' -T '$(POD_TMPDIR)' -N '$(NODE_PROFILER_NS)' -k '$(KUBECTL)'

# Phase 1: one pod loaded directly and profiled; phase 2: the Service loaded,
# every pod profiled at once (PARALLEL) unless POD names the hot one, which
# `make analyze` finds from the metrics. Under make -n the load and the
# profile are listed one after the other; when run they overlap (-j2).
capture phase1 phase2:
	$(CAP_NEED_RUN)
	+$(CAP_SUB) PHASE=$(CAP_PHASE) capture-pods
	+$(CAP_SUB) $(strip PHASE=$(CAP_PHASE) $(if $(filter 2,$(CAP_PHASE)),PARALLEL=$(or $(PARALLEL),yes)) \
		$(if $(CAP_DRY),,-j2)) capture-load capture-profile-delayed
	+$(CAP_SUB) PHASE=$(CAP_PHASE) capture-metrics

CAP_PHASE = $(if $(filter phase%,$@),$(@:phase%=%),$(PHASE))

endif
