promrange promrange/gc_by_pod.json.gz | sed -n "1p;\$p"
