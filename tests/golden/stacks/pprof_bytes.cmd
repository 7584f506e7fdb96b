stacks --format pprof --event cpu --interval 10ms --duration 30 -o $T/cpu.pb.gz stacks/annotated.collapsed && gzip -dc $T/cpu.pb.gz | xxd
