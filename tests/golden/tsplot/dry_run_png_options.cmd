tsplot --dry-run -f png --size 640x320 --logscale --tz -05:30 -q lat tsplot/small.tsv | head -12
