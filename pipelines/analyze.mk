# pipelines/analyze.mk - analyze, verify and record, offline, from run folders
# (the layout is pipelines/README.md).
#
#   make analyze RUN=runs/x                    every derived file of a run (RUN/out/)
#   make verify RUN=runs/after BASE=runs/before  the before/after verdict only
#   make report RUN=runs/after [BASE=runs/before]
#                                              RUN/report.md; with BASE, before/after verdict
#   make demo                                  the bundled example, end to end
#   make clean-run RUN=runs/x                  remove RUN/out and RUN/report.md
#
# Every derived file is a target with real prerequisites: touching one
# profile remakes only its top tables, flame graph, the comparisons it takes
# part in and the report; `make -j` is safe; `make -n` shows the commands.
# The same inputs give byte-identical outputs.
#
# Settings (make variables): AN_STEP (interval of the JTL series, 5s),
# AN_APP (PCRE2 of application frames for the app top tables; default: any
# frame outside the JDK), AN_TOPN (rows of top tables, 15), AN_THRESHOLD
# (spike and hot-pod threshold in robust sigmas, 3), AN_WARMUP (seconds at
# the start of the load left out of spike detection: JIT warm-up and the
# rate window, 20), AN_MINWINDOW (shortest spike window, seconds, 10),
# AN_PEER_RATIO (how many times its peers' p99 a pod's p99 must reach to
# make a spike window, 2),
# AN_JFR_EVENTS (the event classes cut from each pod's recording
# profiles/POD.jfr, cpu wall lock alloc wait), AN_BIN (where the tools are),
# INCONCLUSIVE (ok: make verify and make report with BASE succeed when a
# metric had too few values to decide; by default they fail, once every
# file is written, naming those metrics).

AN_BIN       ?= build/release/bin
AN_STEP      ?= 5s
AN_APP       ?= ^(?!(java|javax|jdk|sun|com/sun)/)[a-z][a-z0-9_]*/
AN_TOPN      ?= 15
AN_THRESHOLD ?= 3
AN_WARMUP    ?= 20
AN_MINWINDOW ?= 10
AN_PEER_RATIO ?= 2
AN_JFR_EVENTS ?= cpu wall lock alloc wait
AN_TOOLS      = jtlslice promrange spikes outliers hotpod stacks stackdiff flamegraph tsplot verdict runenv diagnose
AN_DEMO      ?= runs/demo
AN_JOBS      ?= 2
export AN_BIN
AN_YLABEL_p99_by_pod = seconds
AN_YLABEL_p99_by_uri = seconds
AN_YLABEL_rps_by_pod = requests/s
AN_YLABEL_cpu_by_pod = process CPU (1 = all cores)
AN_YLABEL_gc_by_pod  = GC pause seconds per second

$(foreach t,$(AN_TOOLS),$(eval AN_$(t) := $(AN_BIN)/$(t)))

# A step's standard output becomes its target only when the step succeeds;
# a failed step leaves neither the target nor its .tmp (exit status kept).
AN_SAVE = > '$@.tmp' && mv '$@.tmp' '$@' || { s=$$?; rm -f '$@.tmp'; exit $$s; }
# flamegraph exits 1 on an input without samples, having written a graph
# that says so: an empty profile (a lock profile without contention) or an
# empty comparison is a normal outcome here, anything else still fails.
AN_EMPTY_OK = || { s=$$?; [ ! -s '$<' ] && [ -s '$@' ] || exit $$s; }

# Names from a run folder are data (pipelines/README.md, "Names and
# files"): RUN and BASE are one word of [A-Za-z0-9._/-], and every entry of
# their profiles/ and prom/ is checked by check-names.sh, all before any
# rule below mentions a name from the folders.
AN_SAFE_CHARS := A B C D E F G H I J K L M N O P Q R S T U V W X Y Z \
	a b c d e f g h i j k l m n o p q r s t u v w x y z 0 1 2 3 4 5 6 7 8 9 . _ - /
an_rest = $(if $(2),$(call an_rest,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,$(words $(2)),$(2))),$(1))
an_check_var = $(if $(filter-out 1,$(words $(value $(1))))$(call an_rest,$(value $(1)),$(AN_SAFE_CHARS)),\
	$(error $(1) must be one path of letters, digits and . _ - / (got '$(value $(1))')))

.PHONY: analyze verify report demo clean-run

# w=START,END in a recipe: where spikes are searched in run folder $(1): the
# load window after the warm-up, or, for a watch folder, the spike window
# the watch acted on (run.env spike_start, spike_end)
an_comma := ,
an_win = $(if $(AN_WATCH_$(1)),w=$$($(AN_runenv) --epoch spike_start '$(1)/run.env')$(an_comma)$$($(AN_runenv) --epoch spike_end '$(1)/run.env'),w=$$($(AN_runenv) --load --warmup $(AN_WARMUP) '$(1)/run.env'))

# The files of one run folder, and every rule that derives from them.
# $(1) is the run folder.  Profiles are RUN/profiles/POD.EVENT.collapsed,
# or, when the folder has recordings RUN/profiles/POD.jfr, the cuts of every
# recording to the spike window, one per event class of AN_JFR_EVENTS:
# RUN/out/cut/POD.EVENT.collapsed (collapsed files beside recordings are
# then not read).  AN_PDIR_RUN is where the profiles are.
define AN_RUN_RULES
AN_JTL_$(1)      := $$(firstword $$(wildcard $(1)/result.jtl.gz $(1)/result.jtl))
# a folder of make watch (trigger=watch; check-run.sh refuses any other
# folder without a JTL): no load of its own, so no JTL series; its spike
# window is searched within the window the watch acted on (an_win)
AN_WATCH_$(1)    := $$(if $$(AN_JTL_$(1)),,yes)
AN_PROM_$(1)     := $$(sort $$(wildcard $(1)/prom/*.json))
AN_JFRS_$(1)     := $$(sort $$(wildcard $(1)/profiles/*.jfr))
AN_PDIR_$(1)     := $$(if $$(AN_JFRS_$(1)),$(1)/out/cut,$(1)/profiles)
AN_RAW_$(1)      := $$(or $$(AN_JFRS_$(1)),$$(sort $$(wildcard $(1)/profiles/*.collapsed)))
AN_PROFILES_$(1) := $$(if $$(AN_JFRS_$(1)),$$(sort $$(foreach j,$$(AN_JFRS_$(1)),$$(foreach e,$$(AN_JFR_EVENTS),\
	$(1)/out/cut/$$(notdir $$(j:.jfr=)).$$(e).collapsed))),$$(AN_RAW_$(1)))
AN_STEMS_$(1)    := $$(notdir $$(AN_PROFILES_$(1):.collapsed=))
AN_CPU_$(1)      := $$(filter %.cpu,$$(AN_STEMS_$(1)))
AN_OUTS_$(1)     := $$(if $$(AN_WATCH_$(1)),,$(1)/out/jtl/stats.tsv $(1)/out/jtl/series.tsv) \
	$$(patsubst $(1)/prom/%.json,$(1)/out/prom/%.tsv,$$(AN_PROM_$(1))) \
	$(1)/out/windows/spike.tsv $(1)/out/hotpod.tsv $(1)/out/diagnosis.tsv \
	$$(foreach s,$$(AN_STEMS_$(1)),$(1)/out/top/$$(s).tsv $(1)/out/top/$$(s).app.tsv \
		$(1)/out/flame/$$(s).svg $(1)/out/windows/$$(s).tsv) \
	$$(if $$(word 2,$$(AN_CPU_$(1))),$(1)/out/diff/hot-vs-normal.cpu.tsv $(1)/out/diff/hot-vs-normal.cpu.svg) \
	$$(if $$(AN_WATCH_$(1)),,$(1)/out/charts/latency.svg) $(1)/out/charts/p99_by_pod.svg \
	$(1)/out/charts/rps_by_pod.svg $(1)/out/charts/cpu_by_pod.svg

# The run folder is checked whenever its inputs change; every step waits
# for the check (order-only: a passing check remakes nothing by itself).
$(1)/out/check.tsv: pipelines/check-run.sh $$(AN_runenv) $$(wildcard $(1)/run.env) $$(AN_JTL_$(1)) $$(AN_PROM_$(1)) $$(AN_RAW_$(1))
	@mkdir -p '$$(@D)'
	AN_JFR_EVENTS='$$(AN_JFR_EVENTS)' pipelines/check-run.sh '$(1)' $$(AN_SAVE)

# cuts: every event class of every pod's recording over the spike window
# (clipped to the recording), thread frames kept as async-profiler -t does
$(1)/out/windows/jfr.tsv: $(1)/out/windows/spike.tsv $(1)/run.env $$(AN_spikes) $$(AN_runenv)
	@mkdir -p '$$(@D)'
	w=$$$$($$(AN_runenv) --interval jfr.jfr '$(1)/run.env') && \
	$$(AN_spikes) --align --clip "$$$$w" -o '$$@' '$$<'

# series: the JTL's statistics and per-interval series; each saved response as TSV
$(1)/out/jtl/stats.tsv: $$(AN_JTL_$(1)) $$(AN_jtlslice) | $(1)/out/check.tsv
	@mkdir -p '$$(@D)'
	$$(AN_jtlslice) --stats -o '$$@' '$$<'
$(1)/out/jtl/series.tsv: $$(AN_JTL_$(1)) $$(AN_jtlslice) | $(1)/out/check.tsv
	@mkdir -p '$$(@D)'
	$$(AN_jtlslice) --series $$(AN_STEP) -o '$$@' '$$<'
$(1)/out/jtl/series-total.tsv: $$(AN_JTL_$(1)) $$(AN_jtlslice) | $(1)/out/check.tsv
	@mkdir -p '$$(@D)'
	$$(AN_jtlslice) --series $$(AN_STEP) --total -o '$$@' '$$<'
$(1)/out/prom/%.tsv: $(1)/prom/%.json $$(AN_promrange) | $(1)/out/check.tsv
	@mkdir -p '$$(@D)'
	$$(AN_promrange) -o '$$@' '$$<'

# windows: spikes after the warm-up in the load's p99 (JTL) and in every
# pod's p99 and CPU (Prometheus); the spike window is the one most of them
# agree on; each profile's capture interval clipped to it.  A point stands
# for an interval: a JTL row for the step after its time, a Prometheus
# point for the time since the previous one (--point-covers).  The load's
# p99 takes change-point segments instead of median/MAD for an anomaly
# long enough to pull its median up (--or-changepoint, man spikes)
$(1)/out/windows/jtl-p99.tsv: $(1)/out/jtl/series-total.tsv $(1)/run.env $$(AN_spikes) $$(AN_runenv)
	@mkdir -p '$$(@D)'
	$$(call an_win,$(1)) && \
	$$(AN_spikes) -k $$(AN_THRESHOLD) -v p99 --or-changepoint --point-covers next --clip "$$$$w" -o '$$@' '$$<'
# (a pod's p99 against its peers at the same time: a pod slow for much of
# the run still stands out, where its own median and MAD would hide it)
$(1)/out/windows/p99_by_pod.tsv: $(1)/out/prom/p99_by_pod.tsv $(1)/run.env $$(AN_spikes) $$(AN_runenv)
	@mkdir -p '$$(@D)'
	$$(call an_win,$(1)) && \
	$$(AN_spikes) --peers --ratio $$(AN_PEER_RATIO) --point-covers previous --clip "$$$$w" -o '$$@' '$$<'
$(1)/out/windows/cpu_by_pod.tsv: $(1)/out/prom/cpu_by_pod.tsv $(1)/run.env $$(AN_spikes) $$(AN_runenv)
	@mkdir -p '$$(@D)'
	$$(call an_win,$(1)) && \
	$$(AN_spikes) -k $$(AN_THRESHOLD) --point-covers previous --clip "$$$$w" -o '$$@' '$$<'
$(1)/out/windows/spike.tsv: $$(if $$(AN_WATCH_$(1)),,$(1)/out/windows/jtl-p99.tsv) $(1)/out/windows/p99_by_pod.tsv \
		$(1)/out/windows/cpu_by_pod.tsv $(1)/run.env $$(AN_spikes) $$(AN_runenv)
	@mkdir -p '$$(@D)'
	$$(call an_win,$(1)) && \
	$$(AN_spikes) --best --min-width $$(AN_MINWINDOW) --within "$$$$w" -o '$$@' $$(filter %.tsv,$$^)
$(1)/out/windows/%.tsv: $(1)/out/windows/spike.tsv $(1)/run.env $$(AN_spikes) $$(AN_runenv)
	@mkdir -p '$$(@D)'
	w=$$$$($$(AN_runenv) --interval '$$*' '$(1)/run.env') && \
	$$(AN_spikes) --align --clip "$$$$w" -o '$$@' '$$<'

# hot pod: the pod whose p99 (then CPU) stands out from its peers in the spike window
$(1)/out/hotpod-%.tsv: $(1)/out/prom/%_by_pod.tsv $(1)/out/windows/spike.tsv $$(AN_outliers)
	@mkdir -p '$$(@D)'
	$$(AN_outliers) -k $$(AN_THRESHOLD) -W '$(1)/out/windows/spike.tsv' -o '$$@' '$$<' 2>/dev/null
$(1)/out/hotpod.tsv: $(1)/out/hotpod-p99.tsv $(1)/out/hotpod-cpu.tsv $$(AN_PROFILES_$(1)) $$(AN_hotpod)
	@mkdir -p '$$(@D)'
	$$(AN_hotpod) --profiles '$$(AN_PDIR_$(1))' -o '$$@' \
		p99_by_pod='$(1)/out/hotpod-p99.tsv' cpu_by_pod='$(1)/out/hotpod-cpu.tsv'

# diagnosis: the kind of bottleneck of the top pod (CPU-bound, lock/wait-bound,
# GC/allocation-bound or no clear cause) from its p99, CPU and GC against its
# peers and every profile it has; the culprit from the profile that shows it
AN_GC_$(1) := $$(if $$(filter $(1)/prom/gc_by_pod.json,$$(AN_PROM_$(1))),$(1)/out/hotpod-gc.tsv)
$(1)/out/diagnosis.tsv: $(1)/out/hotpod.tsv $(1)/out/hotpod-p99.tsv $(1)/out/hotpod-cpu.tsv \
		$$(AN_GC_$(1)) $$(AN_PROFILES_$(1)) $$(AN_diagnose) | $(1)/out/check.tsv
	@mkdir -p '$$(@D)'
	$$(AN_diagnose) --kind --hotpod '$(1)/out/hotpod.tsv' --profiles '$$(AN_PDIR_$(1))' \
		--p99 '$(1)/out/hotpod-p99.tsv' --cpu '$(1)/out/hotpod-cpu.tsv' \
		$$(if $$(AN_GC_$(1)),--gc '$$(AN_GC_$(1))') --app '$$(AN_APP)' -o '$$@'

# profiles: top tables (all frames, application frames) and a flame graph of
# each; frame names normalised for comparisons; the hot pod against a normal
# pod profiled in the same window
$(1)/out/top/%.app.tsv: $$(AN_PDIR_$(1))/%.collapsed $$(AN_stacks) | $(1)/out/check.tsv
	@mkdir -p '$$(@D)'
	$$(AN_stacks) -N --top -n $$(AN_TOPN) --app '$$(AN_APP)' -o '$$@' '$$<'
$(1)/out/top/%.tsv: $$(AN_PDIR_$(1))/%.collapsed $$(AN_stacks) | $(1)/out/check.tsv
	@mkdir -p '$$(@D)'
	$$(AN_stacks) -N --top -n $$(AN_TOPN) -o '$$@' '$$<'
$(1)/out/norm/%.collapsed: $$(AN_PDIR_$(1))/%.collapsed $$(AN_stacks) | $(1)/out/check.tsv
	@mkdir -p '$$(@D)'
	$$(AN_stacks) -N -o '$$@' '$$<'
$(1)/out/flame/%.svg: $$(AN_PDIR_$(1))/%.collapsed $$(AN_flamegraph) | $(1)/out/check.tsv
	@mkdir -p '$$(@D)'
	$$(AN_flamegraph) --title '$$*' --subtitle '$(1)' -o '$$@' '$$<' $$(AN_EMPTY_OK)
# (the pair file is empty when the top pod or every other pod has no cpu
# profile: the comparison, and the report's section, are then empty)
$(1)/out/diff/hot-vs-normal.cpu.pair: $(1)/out/hotpod.tsv $$(AN_hotpod)
	@mkdir -p '$$(@D)'
	$$(AN_hotpod) --compare '$(1)' -o '$$@'
$(1)/out/diff/hot-vs-normal.cpu.folded: $(1)/out/diff/hot-vs-normal.cpu.pair $$(AN_CPU_$(1):%=$(1)/out/norm/%.collapsed) $$(AN_stackdiff)
	set -- $$$$(cat '$$<'); if [ $$$$# = 2 ]; then $$(AN_stackdiff) -o '$$@' \
		"$(1)/out/norm/$$$$1.cpu.collapsed" "$(1)/out/norm/$$$$2.cpu.collapsed"; else : > '$$@'; fi
# (application frames ranked by the change of their own share: the culprit
# above its callers, whose totals stay in the table)
$(1)/out/diff/hot-vs-normal.cpu.tsv: $(1)/out/diff/hot-vs-normal.cpu.pair $$(AN_CPU_$(1):%=$$(AN_PDIR_$(1))/%.collapsed) $$(AN_diagnose)
	set -- $$$$(cat '$$<'); if [ $$$$# = 2 ]; then $$(AN_diagnose) -e cpu --compare -n $$(AN_TOPN) \
		--app '$$(AN_APP)' -o '$$@' "$$(AN_PDIR_$(1))/$$$$1.cpu.collapsed" "$$(AN_PDIR_$(1))/$$$$2.cpu.collapsed"; \
	else : > '$$@'; fi
$(1)/out/diff/%.svg: $(1)/out/diff/%.folded $$(AN_flamegraph)
	@mkdir -p '$$(@D)'
	$$(AN_flamegraph) --title 'Differential: $$*' --subtitle 'width: second profile; red: grew, blue: shrank' \
		-o '$$@' '$$<' $$(AN_EMPTY_OK)

# charts: latency per label (JTL), p99, throughput and CPU per pod, the spike window shaded
$(1)/out/charts/latency.svg: $(1)/out/jtl/series.tsv $(1)/out/windows/spike.tsv $$(AN_tsplot)
	@mkdir -p '$$(@D)'
	$$(AN_tsplot) -v p99 --title 'p99 latency per label (JTL)' --ylabel ms --windows '$(1)/out/windows/spike.tsv' -o '$$@' '$$<'
$(1)/out/charts/%.svg: $(1)/out/prom/%.tsv $(1)/out/windows/spike.tsv $$(AN_tsplot)
	@mkdir -p '$$(@D)'
	$$(AN_tsplot) --title '$$*' --ylabel '$$(or $$(AN_YLABEL_$$*),value)' --windows '$(1)/out/windows/spike.tsv' -o '$$@' '$$<'
endef

# The cut of event $(2) from each recording of run folder $(1) (empty when
# the recording does not overlap the spike window: coverage "none").
define AN_CUT_RULES
$(1)/out/cut/%.$(2).collapsed: $(1)/profiles/%.jfr $(1)/out/windows/jfr.tsv $$(AN_stacks) | $(1)/out/check.tsv
	@mkdir -p '$$(@D)'
	w=$$$$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$$$$i] = i; next } \
		NR == 2 { print $$$$c["start"] "," $$$$c["end"] }' '$(1)/out/windows/jfr.tsv') && \
	if [ -n "$$$$w" ]; then $$(AN_stacks) --from jfr --event $(2) -t --window "$$$$w" -o '$$@' '$$<'; \
	else : > '$$@'; fi
endef
an_run_rules = $(eval $(call AN_RUN_RULES,$(1)))$(foreach e,$(AN_JFR_EVENTS),$(eval $(call AN_CUT_RULES,$(1),$(e))))

ifdef RUN
# Only the analysis goals need the rules (capture makes a run folder that
# does not exist yet; make clean-run cleans a refused folder too).
AN_GOALS := $(filter analyze verify report $(RUN)/% $(if $(BASE),$(BASE)/%),$(MAKECMDGOALS))
ifneq ($(AN_GOALS)$(filter clean-run,$(MAKECMDGOALS)),)
$(call an_check_var,RUN)
$(if $(BASE),$(call an_check_var,BASE))
endif
ifneq ($(AN_GOALS),)
ifneq ($(shell pipelines/check-names.sh '$(RUN)' $(if $(BASE),'$(BASE)')),)
$(error run folder refused: see the message above (pipelines/README.md, "Names and files"))
endif
$(call an_run_rules,$(RUN))
ifdef BASE
$(call an_run_rules,$(BASE))
# The last step of make verify and make report with BASE, once every file
# is written (a phony step: nothing is deleted when it fails): a metric with
# too few values in the window ("not enough data") makes make fail with a
# line naming the metrics, unless INCONCLUSIVE=ok
AN_INCONCLUSIVE_CHECK = m=$$(pipelines/verify.sh --inconclusive '$(RUN)') || { \
	echo "make $@: inconclusive: too few values in the spike window (not enough data) for: $$m$(if $(filter ok,$(INCONCLUSIVE)), (accepted: INCONCLUSIVE=ok),; every file is written; INCONCLUSIVE=ok accepts this)" >&2; \
	$(if $(filter ok,$(INCONCLUSIVE)),:,exit 1); }
AN_VERIFY := $(RUN)/out/verify/verdict.tsv $(RUN)/out/verify/stats.tsv \
	$(if $(and $(AN_CPU_$(BASE)),$(AN_CPU_$(RUN))),$(RUN)/out/diff/before-vs-after.cpu.tsv $(RUN)/out/diff/before-vs-after.cpu.svg)

# verify: BASE (before) against RUN (after), in BASE's spike window; the
# load's series of both runs at AN_STEP, or finer when the window would
# hold fewer than 6 of its intervals (verify.sh --step: whole seconds, at
# least 1 s; the step is in out/verify/step.txt and the report)
$(RUN)/out/verify/step.txt: $(BASE)/out/windows/spike.tsv pipelines/verify.sh
	@mkdir -p '$(@D)'
	AN_STEP='$(AN_STEP)' pipelines/verify.sh --step '$(BASE)' $(AN_SAVE)
$(RUN)/out/verify/before-total.tsv: $(RUN)/out/verify/step.txt $(AN_JTL_$(BASE)) $(AN_jtlslice) | $(BASE)/out/check.tsv
	$(AN_jtlslice) --series "$$(cat '$<')" --total -o '$@' '$(AN_JTL_$(BASE))'
$(RUN)/out/verify/after-total.tsv: $(RUN)/out/verify/step.txt $(AN_JTL_$(RUN)) $(AN_jtlslice) | $(RUN)/out/check.tsv
	$(AN_jtlslice) --series "$$(cat '$<')" --total -o '$@' '$(AN_JTL_$(RUN))'
$(RUN)/out/verify/verdict.tsv: $(RUN)/out/verify/before-total.tsv $(RUN)/out/verify/after-total.tsv \
		$(foreach r,$(BASE) $(RUN),$(foreach q,p99 cpu gc,$(r)/out/prom/$(q)_by_pod.tsv)) \
		$(BASE)/out/windows/spike.tsv $(BASE)/out/hotpod.tsv $(BASE)/run.env $(RUN)/run.env \
		pipelines/verify.sh $(AN_verdict) $(AN_hotpod) $(AN_runenv)
	@mkdir -p '$(@D)'
	pipelines/verify.sh '$(BASE)' '$(RUN)' $(AN_SAVE)
$(RUN)/out/verify/stats.tsv: $(BASE)/out/jtl/stats.tsv $(RUN)/out/jtl/stats.tsv pipelines/verify.sh $(AN_verdict)
	@mkdir -p '$(@D)'
	pipelines/verify.sh --stats '$(BASE)' '$(RUN)' $(AN_SAVE)
# (RUN's recordings are cut again for this comparison, over BASE's spike
# window moved to the same offset from the start of RUN's load, as verify.sh
# moves it: both profiles cover the same phase of the same load)
AN_BA_NORM := $(if $(AN_JFRS_$(RUN)),$(RUN)/out/norm-base,$(RUN)/out/norm)
AN_BA_INPUTS = $(BASE)/out/hotpod.tsv $(RUN)/out/hotpod.tsv $(AN_CPU_$(BASE):%=$(BASE)/out/norm/%.collapsed) \
	$(AN_CPU_$(RUN):%=$(AN_BA_NORM)/%.collapsed) $(AN_hotpod) $(AN_stackdiff)
$(RUN)/out/windows/base-offset.tsv: $(BASE)/out/windows/spike.tsv $(BASE)/run.env $(RUN)/run.env $(AN_runenv)
	@mkdir -p '$(@D)'
	s=$$(( $$($(AN_runenv) --epoch load_start '$(RUN)/run.env') - $$($(AN_runenv) --epoch load_start '$(BASE)/run.env') )) && \
	awk -F '\t' -v OFS='\t' -v s="$$s" 'NR == 1 { for (i = 1; i <= NF; i++) c[$$i] = i; print; next } \
		{ $$c["start"] += s; $$c["end"] += s; print }' '$<' $(AN_SAVE)
$(RUN)/out/cut-base/%.cpu.collapsed: $(RUN)/profiles/%.jfr $(RUN)/out/windows/base-offset.tsv $(AN_stacks) | $(RUN)/out/check.tsv
	@mkdir -p '$(@D)'
	w=$$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$$i] = i; next } \
		NR == 2 { print $$c["start"] "," $$c["end"] }' '$(RUN)/out/windows/base-offset.tsv') && \
	if [ -n "$$w" ]; then $(AN_stacks) --from jfr --event cpu -t --window "$$w" -o '$@' '$<'; \
	else : > '$@'; fi
$(RUN)/out/norm-base/%.collapsed: $(RUN)/out/cut-base/%.collapsed $(AN_stacks)
	@mkdir -p '$(@D)'
	$(AN_stacks) -N -o '$@' '$<'
$(RUN)/out/diff/before-vs-after.cpu.pair: $(BASE)/out/hotpod.tsv $(RUN)/out/hotpod.tsv $(AN_hotpod)
	@mkdir -p '$(@D)'
	$(AN_hotpod) --pair '$(BASE)' '$(RUN)' -o '$@'
$(RUN)/out/diff/before-vs-after.cpu.folded: $(RUN)/out/diff/before-vs-after.cpu.pair $(AN_BA_INPUTS)
	set -- $$(cat '$<'); if [ $$# = 2 ]; then $(AN_stackdiff) -o '$@' \
		"$(BASE)/out/norm/$$1.cpu.collapsed" "$(AN_BA_NORM)/$$2.cpu.collapsed"; else : > '$@'; fi
$(RUN)/out/diff/before-vs-after.cpu.tsv: $(RUN)/out/diff/before-vs-after.cpu.pair $(AN_BA_INPUTS)
	set -- $$(cat '$<'); if [ $$# = 2 ]; then $(AN_stackdiff) --table -n $(AN_TOPN) -o '$@' \
		"$(BASE)/out/norm/$$1.cpu.collapsed" "$(AN_BA_NORM)/$$2.cpu.collapsed"; else : > '$@'; fi

# BASE's own report, when asked for (make demo does)
$(BASE)/report.md: $(AN_OUTS_$(BASE)) pipelines/report.sh pipelines/md.awk
	AN_BIN=$(AN_BIN) pipelines/report.sh '$(BASE)' $(AN_SAVE)
endif

analyze: $(AN_OUTS_$(RUN)) $(AN_VERIFY)

verify: $(AN_VERIFY)
	@if [ -z "$(BASE)" ]; then echo "make verify: BASE is not set: make verify RUN=runs/AFTER BASE=runs/BEFORE (verify compares two runs)" >&2; exit 1; fi
	@$(AN_INCONCLUSIVE_CHECK)

# (with BASE, the report names BASE's top culprit frame: its top tables)
$(RUN)/report.md: $(AN_OUTS_$(RUN)) $(AN_VERIFY) pipelines/report.sh pipelines/md.awk \
		$(if $(BASE),$(AN_CPU_$(BASE):%=$(BASE)/out/top/%.app.tsv))
	AN_BIN=$(AN_BIN) AN_STEP='$(AN_STEP)' pipelines/report.sh '$(RUN)' $(if $(BASE),'$(BASE)') $(AN_SAVE)
report: $(RUN)/report.md $(AN_ALSO)
	@echo "report: $(RUN)/report.md"
	@$(AN_INCONCLUSIVE_CHECK)

endif

clean-run:
	rm -rf '$(RUN)/out' '$(RUN)/report.md'
else
analyze verify report clean-run:
	@echo "make $@: RUN is not set: make $@ RUN=runs/NAME [BASE=runs/BEFORE]" >&2; exit 1
endif

# The bundled example: a real before/after archive (testdata/catalog, see
# its README) analysed end to end with no cluster and no network.
demo: all
	@mkdir -p $(AN_DEMO)
	@cp -Rp testdata/catalog/before testdata/catalog/after $(AN_DEMO)/
	@$(MAKE) --no-print-directory -j$(AN_JOBS) report RUN=$(AN_DEMO)/after BASE=$(AN_DEMO)/before \
		AN_ALSO=$(AN_DEMO)/before/report.md
	@echo "report: $(AN_DEMO)/before/report.md (the investigation)"
	@echo "report: $(AN_DEMO)/after/report.md (after the fix, with the verdict)"
