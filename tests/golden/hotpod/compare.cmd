hotpod --compare hotpod/after
