cat jfr/small.jfr jfr/small.jfr | gzip > $T/x.jfr.gz && stacks --event lock < $T/x.jfr.gz
