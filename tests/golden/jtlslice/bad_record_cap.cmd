jtlslice --max-record 200 jtlslice/long_record.jtl; jtlslice --max-record 300 --stats jtlslice/long_record.jtl | cut -c1-40
