stacks --from jfr jfr/bad/metadata_string_index.jfr
