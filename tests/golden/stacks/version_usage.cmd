stacks --version >/dev/null && echo ok
