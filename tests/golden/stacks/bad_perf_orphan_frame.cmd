printf '\t ffffffff8 foo (bar)\n' | stacks --from perf
