stacks --event jdk.JavaMonitorEnter --total jfr/small.jfr
