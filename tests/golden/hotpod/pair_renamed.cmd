hotpod --pair hotpod/nonormal hotpod/after
