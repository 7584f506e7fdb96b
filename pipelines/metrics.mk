# pipelines/metrics.mk - the metrics step of a cluster capture (RUNTIME=k8s):
# the standard queries over the run's window, raw responses into RUN/prom/.
# See pipelines/k8s/metrics.sh.
#
#   make RUN=runs/x capture-metrics [PROM_URL=http://prometheus:9090]
#
# Without PROM_URL it port-forwards to kube-prometheus-stack's Prometheus
# (PROM_SERVICE in PROM_NS, port 9090; the service name derives from
# PROM_RELEASE as the chart names it, 26-character cut included) on
# PROM_LOCAL_PORT. The window is
# load_start - 10 s to load_end + 4 s from run.env, at PROM_STEP seconds.

ifeq ($(RUNTIME),k8s)

PROM_URL        ?=
PROM_NS         ?= monitoring
PROM_RELEASE    ?= kube-prometheus-stack
PROM_SERVICE    ?=
PROM_LOCAL_PORT ?= 19090
PROM_STEP       ?= 2
PROMRANGE       ?= build/release/bin/promrange
# the standard queries with @SCOPE@ matchers (namespace, the run's pods)
QUERIES         ?= pipelines/queries-k8s.tsv

METRICS_ARGS = -r '$(RUN)' $(call cap_opt,-u,$(PROM_URL)) -n '$(PROM_NS)' \
	-R '$(PROM_RELEASE)' $(call cap_opt,-S,$(PROM_SERVICE)) -o '$(PROM_LOCAL_PORT)' \
	-s '$(PROM_STEP)' -b '$(PROMRANGE)' -N '$(NS)' -k '$(KUBECTL)' $(QUERIES)

.PHONY: capture-metrics
capture-metrics:
	$(CAP_NEED_RUN)
	+$(CAP_STEP)/metrics.sh $(strip $(METRICS_ARGS))

endif
