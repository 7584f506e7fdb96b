stacks --from jfr jfr/bad/bad_string_encoding.jfr
