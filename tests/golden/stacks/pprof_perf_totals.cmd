stacks --format pprof --period stacks/perf-java.txt | gzip -dc | protoc --decode=perftools.profiles.Profile -I ../tests/pprof profile.proto | sed -n "1,4p;/^string_table/,\$p"
