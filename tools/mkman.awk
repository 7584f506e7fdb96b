# mkman.awk - turn a tool's help page into a man(7) page.
#
# The help page format (tools/TOOL/TOOL.help):
#   line 1            "NAME - one-line summary"
#   "HEADING"         a line of capitals at column 0 starts a section
#   "  -x, --opt ARG" in OPTIONS: an option (two spaces, then a dash)
#   "        text"    option description (eight spaces)
#   "  text"          body text; in SYNOPSIS and EXAMPLES kept as is
#   ""                paragraph break
# Usage: awk -v version=V -f mkman.awk TOOL.help > TOOL.1
function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
NR == 1 {
	name = $1
	summary = $0
	sub(/^[^ ]+ - /, "", summary)
	printf ".TH %s 1 \"\" \"%s %s\" \"User Commands\"\n", toupper(name), name, version
	print ".SH NAME"
	print name " \\- " esc(summary)
	next
}
/^[A-Z][A-Z ]+$/ {
	if (literal)
		print ".fi"
	section = $0
	literal = (section == "SYNOPSIS" || section == "EXAMPLES")
	print ".SH " section
	if (literal)
		print ".nf"
	pending_blank = 0
	next
}
/^$/ { pending_blank = 1; next }
{
	if (pending_blank) {
		print (literal ? "" : ".PP")
		pending_blank = 0
	}
	if (literal) {
		line = $0
		sub(/^  /, "", line)
		print esc(line)
	} else if (section == "OPTIONS" && $0 ~ /^  -/) {
		print ".TP"
		print ".B " esc(trim($0))
	} else {
		print esc(trim($0))
	}
}
END { if (literal) print ".fi" }
