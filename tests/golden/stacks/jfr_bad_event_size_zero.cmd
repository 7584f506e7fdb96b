stacks --from jfr jfr/bad/event_size_zero.jfr
