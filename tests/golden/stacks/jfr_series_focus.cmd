stacks --series 500ms --focus tokenize jfr/small.jfr
