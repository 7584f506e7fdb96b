stacks --format pprof --event lock --interval 1us stacks/annotated.collapsed | gzip -dc | protoc --decode=perftools.profiles.Profile -I ../tests/pprof profile.proto
