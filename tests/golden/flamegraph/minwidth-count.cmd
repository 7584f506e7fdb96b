for m in 0 10 1% 100%; do printf "%s " $m; flamegraph --minwidth $m catalog/after/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed | grep -c "^<g data-o"; done
