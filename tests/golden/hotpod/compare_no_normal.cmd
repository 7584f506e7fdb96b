hotpod --compare hotpod/nonormal
