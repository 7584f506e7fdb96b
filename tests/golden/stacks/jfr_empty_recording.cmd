stacks jfr/empty_events.jfr
