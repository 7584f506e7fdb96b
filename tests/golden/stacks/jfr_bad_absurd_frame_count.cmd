stacks --from jfr jfr/bad/absurd_frame_count.jfr
