heatmap --title "small <b>run</b> & co" --countname ns --rows 10 heatmap/small.tsv
