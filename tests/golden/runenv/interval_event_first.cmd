runenv --interval catalog-5d8b9c-g5h6i.cpu runenv/jfr-and-cpu.env
