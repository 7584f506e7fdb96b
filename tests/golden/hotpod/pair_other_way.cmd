hotpod --compare hotpod/after; hotpod --pair hotpod/after hotpod/nonormal
