flamegraph stacks/bom.collapsed > $T/f.svg; grep -c "<title>java/lang/Thread.run " $T/f.svg; grep -c $'\xef\xbb\xbf' $T/f.svg; printf "\xef\xbb\xbfx 1\n" | grep -c $'\xef\xbb\xbf'
