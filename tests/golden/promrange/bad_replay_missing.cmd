cd $T && promrange --replay none
