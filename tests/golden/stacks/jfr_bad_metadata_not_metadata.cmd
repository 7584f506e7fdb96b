stacks --from jfr jfr/bad/metadata_not_metadata.jfr
