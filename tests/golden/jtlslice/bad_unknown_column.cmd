jtlslice --columns timeStamp,elapsed,lable jtlslice/v2_13.jtl
