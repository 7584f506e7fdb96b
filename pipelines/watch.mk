# pipelines/watch.mk - the defaults of `make watch`, the same for every
# RUNTIME (k8s: pipelines/capture.mk, local: pipelines/local.mk): watch at
# most WATCH_MAX s, poll WATCH_QUERY every WATCH_POLL s over the last
# WATCH_LOOKBACK s; a pod whose value is more than WATCH_PEER_RATIO times
# its peers' median for at least WATCH_MIN_DURATION s (and that `outliers`
# marks hot there) is an incident, dumped over the spike +- WATCH_MARGIN s
# from a ring buffer keeping WATCH_MAXAGE; up to WATCH_COUNT incidents,
# WATCH_COOLDOWN s apart. WATCH_PEER_RATIO is analysis's AN_PEER_RATIO
# (pipelines/analyze.mk): the watch fires on what the report will show.
WATCH_MAX      ?= 3600
WATCH_COOLDOWN ?= 300
WATCH_COUNT    ?= 1
WATCH_LOOKBACK ?= 300
WATCH_POLL     ?= 15
WATCH_MARGIN   ?= 30
WATCH_MIN_DURATION ?= 10
WATCH_PEER_RATIO ?= $(AN_PEER_RATIO)
WATCH_MAXAGE   ?= 15m
WATCH_QUERY    ?= p99_by_pod
