stacks --window +40,+70 --top -n 1 --app-prefix org/example/catalog jfr/catalog-before-g5h6i.jfr.gz | cut -f 5
