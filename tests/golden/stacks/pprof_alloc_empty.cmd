stacks --format pprof --event alloc --interval 512k -N stacks/annotated.collapsed | xxd | head -n 2; stacks --format pprof stacks/empty.collapsed | gzip -dc | xxd
