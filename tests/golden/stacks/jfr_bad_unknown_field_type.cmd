stacks --from jfr jfr/bad/unknown_field_type.jfr
