# md.awk - text from a run folder made safe for Markdown (report.md).
#
#   awk -v mode=text -f pipelines/md.awk    each line as escaped text
#   awk -v mode=code -f pipelines/md.awk    each line as a code span
#   awk -v mode=table [-v max=N] -f pipelines/md.awk   a TSV file as a table
#
# Frame names, pod names, labels and run.env values are data: HTML's
# < > & become entities and Markdown's punctuation is backslash-escaped, so
# `<img onerror=...>` or `[x](javascript:...)` show as text.  A code span is
# used for a plain value; one with a backtick, < > & [ ] or a control
# character is escaped text inside <code>, so that no renderer sees markup
# from the data.  | is escaped everywhere (tables).
function esc(s,    out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "<") out = out "&lt;"
		else if (c == ">") out = out "&gt;"
		else if (c == "&") out = out "&amp;"
		else if (index("\\`*_[]|~", c)) out = out "\\" c
		else if (c ~ /[\001-\037\177]/) out = out "?"
		else out = out c
	}
	return out
}
function code(s) {
	if (s ~ /[`<>&\[\]\001-\037\177]/) return "<code>" esc(s) "</code>"
	gsub(/\|/, "\\|", s)
	return "`" s "`"
}
BEGIN { FS = "\t"; if (max == "") max = 1000000 }
mode == "text" { print esc($0); next }
mode == "code" { print code($0); next }
mode == "table" && NR == 1 {
	line = "|"; sep = "|"
	for (i = 1; i <= NF; i++) { line = line " " esc($i) " |"; sep = sep "---|" }
	print line; print sep; next
}
mode == "table" && NR - 1 <= max {
	line = "|"
	for (i = 1; i <= NF; i++) line = line " " esc($i) " |"
	print line
}
