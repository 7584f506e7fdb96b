for m in 0 0.1 1 10 1% 10% 100%; do printf "%s " $m; flamegraph --minwidth $m catalog/before/profiles/catalog-5d8b9c-g5h6i.cpu.collapsed | grep -c "^<g data-o"; done
