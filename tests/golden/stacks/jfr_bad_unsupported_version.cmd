stacks --from jfr jfr/bad/unsupported_version.jfr
