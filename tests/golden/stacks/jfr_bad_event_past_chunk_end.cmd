stacks --from jfr jfr/bad/event_past_chunk_end.jfr
