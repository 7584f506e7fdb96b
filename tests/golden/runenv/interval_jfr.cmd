runenv --interval catalog-5d8b9c-g5h6i.wall catalog-jfr/before/run.env
