tsplot --dry-run -t "'quoted' \`touch PWNED\` @a \$s0 \\ \"1" --ylabel "'" tsplot/hostile.tsv
