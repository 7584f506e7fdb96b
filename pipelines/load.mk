# pipelines/load.mk - the load step of a cluster capture (RUNTIME=k8s):
# JMeter against one pod (phase 1) or the Service (phase 2), results into
# RUN/result.jtl.gz. See pipelines/capture.mk and pipelines/k8s/load.sh.
#
#   make RUN=runs/x capture-load JMX=plan.jmx [PHASE=2] [LOAD=local]
#
# JMX is a JMeter test plan that reads its target and length from
# properties: ${__P(serverHost)}, ${__P(serverPort)}, ${__P(duration)}.
# LOAD=k8s (default) runs it in the runner pod of k8s/jmeter (justb4/jmeter
# 5.5); LOAD=local with the local JMETER through a kubectl port-forward to
# the pod on LOAD_LOCAL_PORT (phase 1 only). JMETER_PROPS adds -Jname=value
# words; LOAD_SECONDS is the plan's duration property. Beside the profile
# (phase1, phase2: CAP_SYNC=yes) the load starts once every pod records.

ifeq ($(RUNTIME),k8s)

LOAD            ?= k8s
LOAD_SECONDS    ?= 120
JMETER          ?= jmeter
JMETER_PROPS    ?=
LOAD_LOCAL_PORT ?= 18080
JMETER_KUSTOMIZATION ?= k8s/jmeter

LOAD_ARGS = -r '$(RUN)' -n '$(NS)' -x '$(JMX)' -f '$(PHASE)' $(LOAD_TARGET) \
	-P '$(PORT)' -D '$(LOAD_SECONDS)' $(call cap_opt,-J,$(JMETER_PROPS)) -L '$(LOAD)' \
	-j '$(JMETER)' -o '$(LOAD_LOCAL_PORT)' -K '$(JMETER_KUSTOMIZATION)' \
	$(if $(filter yes,$(CAP_SYNC)),-W -M '$(LOAD_WAIT)') -k '$(KUBECTL)'
LOAD_TARGET = $(if $(filter 2,$(PHASE)),-S '$(SERVICE)',$(if $(POD),-p '$(POD)',-l '$(SELECTOR)'))

.PHONY: capture-load
capture-load:
	$(CAP_NEED_RUN)
	$(if $(JMX),,$(error JMX is not set: make RUN=$(RUN) JMX=path/to/plan.jmx $@))
	+$(CAP_STEP)/load.sh $(strip $(LOAD_ARGS))

endif
