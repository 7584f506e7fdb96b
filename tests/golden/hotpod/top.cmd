hotpod --top hotpod/nonormal
