/* an_plot.c - gnuplot script writer. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_plot.h"
#include "an_text.h"

#define DAY 86400.0
/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: gnuplot's time axis
 * warns beyond 1e12 s and loops on times far before 1970 */
#define TIME_MIN -62135596800.0
#define TIME_MAX 253402300799.0

int an_plot_tz_parse(const char *s, long *offset, struct an_err *err)
{
	const char *p = s + 1;
	long h = 0, m = 0;
	int digits = 0;

	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0) {
		*offset = 0;
		return AN_OK;
	}
	if (s[0] != '+' && s[0] != '-')
		goto bad;
	while (*p >= '0' && *p <= '9' && digits < 2)
		h = h * 10 + (*p++ - '0'), digits++;
	if (digits == 0)
		goto bad;
	if (*p == ':')
		p++;
	if (*p) {
		if (!(p[0] >= '0' && p[0] <= '5' && p[1] >= '0' && p[1] <= '9') || p[2])
			goto bad;
		m = (p[0] - '0') * 10 + (p[1] - '0');
	}
	if (h > 18 || (h == 18 && m))
		goto bad;
	*offset = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return AN_OK;
bad:
	{
		char q[64];

		return an_err_set(err, AN_EDATA, "'%s' is not a zone offset such as "
				  "+02:00 or UTC", an_err_quote(q, sizeof q, s, strlen(s)));
	}
}

/*
 * Write s[0..len) as a gnuplot double-quoted string in which every
 * character gnuplot could treat as code is an octal escape: quotes, the
 * backslash, '`' (command substitution), '@' (macros) and '$'
 * (datablocks).  An escape takes up to three digits, so an octal digit
 * right after one is escaped too.  Control characters and invalid UTF-8
 * become '?'.
 */
static void put_quoted(FILE *f, const char *s, size_t len)
{
	size_t i = 0;
	int esc = 0;

	fputc('"', f);
	while (i < len) {
		size_t ok = an_utf8_valid_prefix(s + i, len - i);

		for (; ok > 0; ok--, i++) {
			unsigned char c = (unsigned char)s[i];

			if (c < 0x20 || c == 0x7f) {
				fputc('?', f);
				esc = 0;
			} else if (strchr("\"\\'`@$", c) || (esc && c >= '0' && c <= '7')) {
				fprintf(f, "\\%o", c);
				esc = 1;
			} else {
				fputc(c, f);
				esc = 0;
			}
		}
		if (i < len) {
			fputc('?', f);
			esc = 0;
			i++;
		}
	}
	fputc('"', f);
}

static void put_title(FILE *f, const struct an_series *s, char *buf)
{
	size_t len;

	if (s->name_len == 0) {
		fputs("\"(no labels)\"", f);
		return;
	}
	memcpy(buf, s->name, s->name_len);
	len = an_tsv_unescape(buf, s->name_len);
	if (len == (size_t)-1)	/* checked when read; keep the raw form */
		len = s->name_len;
	put_quoted(f, len == s->name_len ? s->name : buf, len);
}

/* Time span of the finite points; 0 when there is none. */
static int data_span(const struct an_series_set *set, double *lo, double *hi)
{
	size_t i, j;
	int any = 0;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < set->n; i++)
		for (j = 0; j < set->s[i].n; j++) {
			const struct an_point *p = &set->s[i].pts[j];

			if (!isfinite(p->v))
				continue;
			any = 1;
			if (p->t < *lo)
				*lo = p->t;
			if (p->t > *hi)
				*hi = p->t;
		}
	return any;
}

static void put_header(FILE *f, const struct an_plot_opts *o, double span)
{
	char zone[32] = "UTC";
	long a = labs(o->tz_offset);

	if (o->tz_offset)
		snprintf(zone, sizeof zone, "UTC%c%02ld:%02ld",
			 o->tz_offset < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
	fputs("# time-series chart; render with: gnuplot THIS_FILE > CHART\n", f);
	if (o->png)
		fprintf(f, "set terminal pngcairo size %u,%u font 'DejaVu Sans,10' "
			"noenhanced background rgb 'white'\n", o->width, o->height);
	else
		fprintf(f, "set terminal svg size %u,%u dynamic font 'DejaVu Sans,10' "
			"noenhanced background rgb 'white'\n", o->width, o->height);
	fputs("set encoding utf8\n", f);
	if (o->title) {
		fputs("set title ", f);
		put_quoted(f, o->title, strlen(o->title));
		fputc('\n', f);
	}
	if (o->ylabel) {
		fputs("set ylabel ", f);
		put_quoted(f, o->ylabel, strlen(o->ylabel));
		fputc('\n', f);
	}
	fprintf(f, "set xlabel 'time (%s)'\n", zone);
	fputs("set xdata time\nset timefmt '%s'\n", f);
	fprintf(f, "set format x '%s'\n", span > DAY ? "%m-%d %H:%M" : "%H:%M:%S");
	fputs("set grid\nset key below\n", f);
	if (o->logscale)
		fputs("set logscale y\n", f);
}

static int cmp_span(const void *a, const void *b)
{
	const struct an_window *x = *(const struct an_window *const *)a;
	const struct an_window *y = *(const struct an_window *const *)b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

/* One band per distinct (start, end), in time order. */
static int put_windows(FILE *f, const struct an_windows *w, long tz,
		       struct an_err *err)
{
	const struct an_window **v;
	size_t i, k = 0;

	if (!w || w->n == 0)
		return AN_OK;
	v = malloc(w->n * sizeof *v);
	if (!v)
		return an_err_set(err, AN_ESYS, "out of memory");
	for (i = 0; i < w->n; i++)
		v[i] = &w->w[i];
	qsort(v, w->n, sizeof *v, cmp_span);
	for (i = 0; i < w->n; i++) {
		char a[AN_NUM_BUF], b[AN_NUM_BUF];

		if (i && cmp_span(&v[i - 1], &v[i]) == 0)
			continue;
		an_num_fmt(a, v[i]->start + (double)tz);
		an_num_fmt(b, v[i]->end + (double)tz);
		k++;
		if (v[i]->end > v[i]->start)
			fprintf(f, "set object %zu rect from %s, graph 0 to %s, graph 1 "
				"behind fillcolor rgb '#f4b183' fillstyle solid 0.35 "
				"noborder\n", k, a, b);
		else
			fprintf(f, "set arrow %zu from %s, graph 0 to %s, graph 1 nohead "
				"back linecolor rgb '#e07b39' linewidth 2\n", k, a, a);
	}
	free(v);
	return AN_OK;
}

static void put_data(FILE *f, const struct an_series *s, size_t idx, long tz)
{
	size_t j;
	int gap = 0;

	fprintf(f, "$s%zu << EOD\n", idx);
	for (j = 0; j < s->n; j++) {
		char t[AN_NUM_BUF], v[AN_NUM_BUF];

		if (!isfinite(s->pts[j].v)) {
			if (!gap && j)
				fputc('\n', f);
			gap = 1;
			continue;
		}
		gap = 0;
		fprintf(f, "%s %s\n", an_num_fmt(t, s->pts[j].t + (double)tz),
			an_num_fmt(v, s->pts[j].v));
	}
	fputs("EOD\n", f);
}

static int put_plot(FILE *f, const struct an_series_set *set, struct an_err *err)
{
	size_t i, maxlen = 1;
	char *buf;

	for (i = 0; i < set->n; i++)
		if (set->s[i].name_len > maxlen)
			maxlen = set->s[i].name_len;
	buf = malloc(maxlen);
	if (!buf)
		return an_err_set(err, AN_ESYS, "out of memory");
	fputs("plot ", f);
	for (i = 0; i < set->n; i++) {
		fprintf(f, "%s$s%zu using 1:2 with linespoints linewidth 1.5 "
			"pointtype 7 pointsize 0.4 title ", i ? ", \\\n     " : "", i);
		put_title(f, &set->s[i], buf);
	}
	fputc('\n', f);
	free(buf);
	return AN_OK;
}

static int check_time(double t, long tz, const char *what, struct an_err *err)
{
	char a[AN_NUM_BUF];

	if (t + (double)tz >= TIME_MIN && t + (double)tz <= TIME_MAX)
		return AN_OK;
	return an_err_set(err, AN_EDATA, "%s time %s is outside the years 1 to "
			  "9999 that a chart can show", what, an_num_fmt(a, t));
}

int an_plot_write(FILE *f, const struct an_series_set *set,
		  const struct an_windows *w, const struct an_plot_opts *o,
		  struct an_err *err)
{
	double lo, hi;
	size_t i;

	if (!data_span(set, &lo, &hi))
		return an_err_set(err, AN_EDATA, "nothing to plot: no finite value "
				  "in the input");
	if (check_time(lo, o->tz_offset, "data", err) != AN_OK ||
	    check_time(hi, o->tz_offset, "data", err) != AN_OK)
		return err->status;
	for (i = 0; w && i < w->n; i++)
		if (check_time(w->w[i].start, o->tz_offset, "window", err) != AN_OK ||
		    check_time(w->w[i].end, o->tz_offset, "window", err) != AN_OK)
			return err->status;
	put_header(f, o, hi - lo);
	if (put_windows(f, w, o->tz_offset, err) != AN_OK)
		return err->status;
	for (i = 0; i < set->n; i++)
		put_data(f, &set->s[i], i, o->tz_offset);
	if (put_plot(f, set, err) != AN_OK)
		return err->status;
	if (ferror(f))
		return an_err_sys(err, errno, "write error");
	return AN_OK;
}

/* 1 if the chart's last bytes end an SVG or PNG file. */
static int chart_complete(const char *tail, size_t n, int png)
{
	static const char png_end[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D',
					   '\xae', '\x42', '\x60', '\x82' };

	if (png)
		return n >= 12 && memcmp(tail + n - 12, png_end, 12) == 0;
	while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r' ||
			 tail[n - 1] == ' ' || tail[n - 1] == '\t'))
		n--;
	return n >= 6 && memcmp(tail + n - 6, "</svg>", 6) == 0;
}

int an_plot_chart_copy(FILE *chart, FILE *out, int png, struct an_err *err)
{
	char buf[65536];
	long size;
	size_t n;

	if (fflush(chart) != 0 || fseek(chart, 0, SEEK_END) != 0 ||
	    (size = ftell(chart)) < 0)
		return an_err_sys(err, errno, "cannot read the chart");
	n = size < 64 ? (size_t)size : 64;
	if (fseek(chart, -(long)n, SEEK_END) != 0 || fread(buf, 1, n, chart) != n)
		return an_err_sys(err, errno ? errno : EIO, "cannot read the chart");
	if (!chart_complete(buf, n, png))
		return an_err_set(err, AN_ESYS, "the chart is incomplete (%ld bytes, "
				  "no end of %s file): is the disk full?", size,
				  png ? "a PNG" : "an SVG");
	rewind(chart);
	while ((n = fread(buf, 1, sizeof buf, chart)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return an_err_sys(err, errno ? errno : EIO, "cannot write the chart");
	if (ferror(chart))
		return an_err_sys(err, errno ? errno : EIO, "cannot read the chart");
	return AN_OK;
}
