runenv --interval catalog-5d8b9c-g5h6i.wall runenv/run.env
