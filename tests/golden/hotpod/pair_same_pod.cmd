hotpod --pair hotpod/after hotpod/after
