/*
 * an_num.h - locale-free number formatting and strict parsing.
 *
 * Tools never call setlocale(), so the C library runs in the "C" locale and
 * '.' is the decimal point; these helpers add the spellings the formats
 * need (NaN, +Inf, -Inf) and the shortest text that reads back exactly.
 */
#ifndef AN_NUM_H
#define AN_NUM_H

#include <stddef.h>
#include <stdint.h>

/* Enough for any output of the formatters below, NUL included. */
#define AN_NUM_BUF 40

/*
 * Shortest decimal text that parses back to exactly v ("%.15g" first, then
 * more digits); NaN is "NaN", infinities "+Inf" and "-Inf", negative zero
 * "0".  Writes into buf (AN_NUM_BUF bytes) and returns buf.
 */
char *an_num_fmt(char *buf, double v);

/* Fixed decimals ("%.*f"), with the same NaN/Inf spellings; returns buf. */
char *an_num_fmt_fixed(char *buf, double v, int decimals);

/* Unsigned decimal; returns buf. */
char *an_num_fmt_u64(char *buf, uint64_t v);

/*
 * Parse a whole string as an unsigned decimal integer (digits only, no
 * sign, no spaces).  Returns 0 on success, -1 if not all digits or empty,
 * -2 if it overflows 64 bits.
 */
int an_num_parse_u64(const char *s, size_t len, uint64_t *out);

/*
 * Parse a whole string as a double: decimal or exponent notation, and
 * NaN / Inf / +Inf / -Inf in any case (as Prometheus writes them).
 * Returns 0 on success, -1 otherwise.  Does not depend on the locale.
 */
int an_num_parse_double(const char *s, size_t len, double *out);

#endif
