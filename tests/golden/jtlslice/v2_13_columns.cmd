jtlslice --columns timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,bytes,grpThreads,allThreads,Latency --label ^L jtlslice/v2_13.jtl
