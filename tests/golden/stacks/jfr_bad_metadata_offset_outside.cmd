stacks --from jfr jfr/bad/metadata_offset_outside.jfr
