# mkhelp.awk - turn a tool's help page (tools/TOOL/TOOL.help) into a C
# header defining `help_text`, printed verbatim by --help.
# The same file is turned into the man page by mkman.awk: one source.
BEGIN { print "/* generated from the tool's .help file by tools/mkhelp.awk */"
        print "static const char help_text[] =" }
{
	gsub(/\\/, "\\\\\\\\")
	gsub(/"/, "\\\"")
	gsub(/\t/, "\\t")
	print "\t\"" $0 "\\n\""
}
END { print ";" }
