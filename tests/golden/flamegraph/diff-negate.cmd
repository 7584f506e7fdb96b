f() { flamegraph "$@" >$T/g.svg; rc=$?; xmllint --noout $T/g.svg || echo INVALID; sed -n "/^<g class=\"fg-frames\"/,/^<\/g>\$/p" $T/g.svg; return $rc; }; f --negate flamegraph/diff.folded
