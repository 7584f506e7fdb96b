stacks catalog/before/profiles/*.cpu.collapsed | awk '{ s += $NF } END { print NR, s }'; cat catalog/before/profiles/*.cpu.collapsed | awk '{ s += $NF } END { print s }'
