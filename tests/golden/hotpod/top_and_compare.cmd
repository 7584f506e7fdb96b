hotpod --top hotpod/after --compare hotpod/after
