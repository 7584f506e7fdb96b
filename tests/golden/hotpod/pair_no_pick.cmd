hotpod --pair hotpod/cpu-hot hotpod/after
