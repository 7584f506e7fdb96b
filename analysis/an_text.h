/*
 * an_text.h - byte-level text helpers shared by every parser.
 */
#ifndef AN_TEXT_H
#define AN_TEXT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Length of the longest valid UTF-8 prefix of s[0..len): equals len when
 * the whole string is valid.  Overlong forms, surrogates and code points
 * above U+10FFFF are invalid.
 */
size_t an_utf8_valid_prefix(const char *s, size_t len);

/*
 * Write s[0..len) to f as a TSV field of the label-set kind: backslash,
 * comma, '=', tab, newline and carriage return are escaped as \\ \, \= \t
 * \n \r.  Returns 0, or -1 if the write failed (ferror is then set).
 */
int an_tsv_write_escaped(FILE *f, const char *s, size_t len);

/*
 * The escape of an_tsv_write_escaped into dst, which has room for 2 * len
 * bytes (not NUL-terminated); returns the escaped length.
 */
size_t an_tsv_escape(char *dst, const char *s, size_t len);

/*
 * Undo an_tsv_write_escaped in place; returns the new length, or
 * (size_t)-1 on a dangling or unknown escape.
 */
size_t an_tsv_unescape(char *s, size_t len);

#endif
