stacks --event wall --window +40,+70 --state SLEEPING --top -n 3 --app-prefix org/example/catalog jfr/catalog-before-g5h6i.jfr.gz | cut -f 5
