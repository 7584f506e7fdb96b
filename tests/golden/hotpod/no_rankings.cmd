hotpod
