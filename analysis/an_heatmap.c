/* an_heatmap.c - events into (second, bucket, stack) cells; written order; the page. */
#include "an_heatmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "an_num.h"
#include "an_strmap.h"
#include "an_text.h"
#include "an_timespec.h"
#include "heatmap_css.h"
#include "heatmap_html.h"
#include "heatmap_js.h"

#define ROOT UINT32_MAX

/* One (second, bucket, stack) pair and its summed weight. */
struct pair {
	int64_t sec;
	uint32_t row;
	uint32_t node;
	uint64_t w;
};

struct window {
	int64_t start_ms, end_ms;
	char *label;
	size_t len;
};

struct an_heatmap {
	unsigned rows, bucket_ms;
	size_t max_nodes, max_pairs;
	struct an_strmap *frames;
	struct an_strmap *nodes;   /* key: parent node, frame (2 x uint32) */
	struct pair *pairs;
	size_t npairs, cap;
	int64_t min_sec, max_sec;
	uint64_t events, total;
	struct window *wins;
	size_t nwins;
	/* set by an_heatmap_finish: the written order, independent of row order */
	uint32_t *frame_order;   /* old frame id of each written frame */
	uint32_t *node_parent;   /* written node: written parent (ROOT) ... */
	uint32_t *node_frame;    /* ... and written frame id */
};

struct an_heatmap *an_heatmap_new(unsigned rows, size_t max_nodes, size_t max_pairs)
{
	struct an_heatmap *h;

	if (rows < 1 || rows > 1000 || 1000 % rows != 0)
		return NULL;
	h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->rows = rows;
	h->bucket_ms = 1000 / rows;
	h->max_nodes = max_nodes ? max_nodes : AN_HEATMAP_NODES_DEFAULT;
	h->max_pairs = max_pairs ? max_pairs : AN_HEATMAP_PAIRS_DEFAULT;
	h->frames = an_strmap_new(0, AN_HEATMAP_NAMES_BYTES);
	h->nodes = an_strmap_new(0, AN_HEATMAP_NODES_BYTES);
	h->min_sec = INT64_MAX;
	h->max_sec = INT64_MIN;
	if (!h->frames || !h->nodes) {
		an_heatmap_free(h);
		return NULL;
	}
	return h;
}

void an_heatmap_free(struct an_heatmap *h)
{
	size_t i;

	if (!h)
		return;
	an_strmap_free(h->frames);
	an_strmap_free(h->nodes);
	free(h->pairs);
	for (i = 0; i < h->nwins; i++)
		free(h->wins[i].label);
	free(h->wins);
	free(h->frame_order);
	free(h->node_parent);
	free(h->node_frame);
	free(h);
}

static int64_t intern_capped(struct an_strmap *m, size_t max, const char *what,
			     const char *s, size_t len, struct an_err *err)
{
	int is_new;
	int64_t id = an_strmap_intern(m, s, len, &is_new, err);

	if (id >= 0 && is_new && (size_t)id >= max)
		return an_err_set(err, AN_EDATA, "over %zu distinct %s (the cap)", max, what), -1;
	return id;
}

/* The tree node of the stack's leaf, inserting the path as needed. */
static int64_t stack_node(struct an_heatmap *h, const char *s, size_t len, struct an_err *err)
{
	uint32_t key[2] = { ROOT, 0 };
	size_t i = 0;

	if (len == 0)
		return an_err_set(err, AN_EDATA, "empty stack"), -1;
	while (i <= len) {
		const char *semi = memchr(s + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - s) : len;
		int64_t id;

		if (end == i)
			return an_err_set(err, AN_EDATA, "empty frame in the stack"), -1;
		id = intern_capped(h->frames, h->max_nodes, "frame names", s + i, end - i, err);
		if (id < 0)
			return -1;
		key[1] = (uint32_t)id;
		id = intern_capped(h->nodes, h->max_nodes, "stack tree nodes", (const char *)key,
				   sizeof key, err);
		if (id < 0)
			return -1;
		key[0] = (uint32_t)id;
		i = end + 1;
	}
	return key[0];
}

static int pair_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* Sort the pairs and merge equal ones; weights cannot overflow (total is capped). */
static void compact(struct an_heatmap *h)
{
	size_t i, n = 0;

	if (h->npairs > 1)
		qsort(h->pairs, h->npairs, sizeof *h->pairs, pair_cmp);
	for (i = 0; i < h->npairs; i++) {
		if (n > 0 && pair_cmp(&h->pairs[n - 1], &h->pairs[i]) == 0)
			h->pairs[n - 1].w += h->pairs[i].w;
		else
			h->pairs[n++] = h->pairs[i];
	}
	h->npairs = n;
}

static int pairs_over(const struct an_heatmap *h, struct an_err *err)
{
	return an_err_set(err, AN_EDATA, "over %zu distinct (second, bucket, stack) cells "
			  "(the cap): cut the input to a shorter time range", h->max_pairs);
}

/* Room for one more pair: grow up to twice the cap, then merge. */
static int make_room(struct an_heatmap *h, struct an_err *err)
{
	size_t limit = h->max_pairs * 2, ncap;
	struct pair *p;

	if (h->npairs < h->cap)
		return AN_OK;
	if (h->cap >= limit) {
		compact(h);
		return h->npairs > h->max_pairs ? pairs_over(h, err) : AN_OK;
	}
	ncap = h->cap ? h->cap * 2 : 1024;
	if (ncap > limit)
		ncap = limit;
	p = realloc(h->pairs, ncap * sizeof *p);
	if (!p)
		return an_err_sys(err, ENOMEM, "heatmap cells");
	h->pairs = p;
	h->cap = ncap;
	return AN_OK;
}

static int check_span(struct an_heatmap *h, int64_t sec, struct an_err *err)
{
	int64_t lo = sec < h->min_sec ? sec : h->min_sec;
	int64_t hi = sec > h->max_sec ? sec : h->max_sec;

	if (hi - lo >= AN_HEATMAP_COLS_MAX)
		return an_err_set(err, AN_EDATA, "times span %lld s (from %lld to %lld), over the "
				  "cap of %d s (one column per second): cut the input to a "
				  "shorter time range", (long long)(hi - lo + 1), (long long)lo,
				  (long long)hi, AN_HEATMAP_COLS_MAX);
	h->min_sec = lo;
	h->max_sec = hi;
	return AN_OK;
}

int an_heatmap_add(struct an_heatmap *h, int64_t t_ms, uint64_t weight,
		   const char *stack, size_t len, struct an_err *err)
{
	int64_t node, sec = t_ms / 1000;
	uint32_t row = (uint32_t)(t_ms % 1000) / h->bucket_ms;
	struct pair *last;

	if (t_ms < 0 || t_ms > AN_TIME_MAX_MS)
		return an_err_set(err, AN_EDATA, "time out of range");
	if (weight > AN_HEATMAP_WEIGHT_MAX - h->total)
		return an_err_set(err, AN_EDATA, "total weight over %llu (2^53 - 1, the largest "
				  "integer a browser counts exactly)",
				  (unsigned long long)AN_HEATMAP_WEIGHT_MAX);
	node = stack_node(h, stack, len, err);
	if (node < 0)
		return err ? (int)err->status : AN_EDATA;
	if (check_span(h, sec, err) != AN_OK)
		return AN_EDATA;
	h->events++;
	h->total += weight;
	last = h->npairs ? &h->pairs[h->npairs - 1] : NULL;
	if (last && last->sec == sec && last->row == row && last->node == (uint32_t)node) {
		last->w += weight;
		return AN_OK;
	}
	if (make_room(h, err) != AN_OK)
		return AN_ESYS;
	h->pairs[h->npairs++] = (struct pair){ sec, row, (uint32_t)node, weight };
	return AN_OK;
}

int an_heatmap_add_window(struct an_heatmap *h, int64_t start_ms, int64_t end_ms,
			  const char *label, size_t len, struct an_err *err)
{
	struct window *w;

	if (end_ms < start_ms)
		return an_err_set(err, AN_EDATA, "the window ends before it starts");
	if (h->nwins == AN_HEATMAP_WINDOWS_MAX)
		return an_err_set(err, AN_EDATA, "over %d windows (the cap)",
				  AN_HEATMAP_WINDOWS_MAX);
	w = realloc(h->wins, (h->nwins + 1) * sizeof *w);
	if (!w)
		return an_err_sys(err, ENOMEM, "windows");
	h->wins = w;
	if (len > AN_HEATMAP_LABEL_MAX)
		len = AN_HEATMAP_LABEL_MAX;
	w = &h->wins[h->nwins];
	w->label = malloc(len + 1);
	if (!w->label)
		return an_err_sys(err, ENOMEM, "windows");
	memcpy(w->label, label, len);
	w->len = len;
	w->start_ms = start_ms;
	w->end_ms = end_ms;
	h->nwins++;
	return AN_OK;
}

int64_t an_heatmap_first_second(const struct an_heatmap *h)
{
	return h->events ? h->min_sec : 0;
}

uint32_t an_heatmap_ncols(const struct an_heatmap *h)
{
	return h->events ? (uint32_t)(h->max_sec - h->min_sec + 1) : 0;
}

uint64_t an_heatmap_events(const struct an_heatmap *h)
{
	return h->events;
}

uint64_t an_heatmap_total(const struct an_heatmap *h)
{
	return h->total;
}

size_t an_heatmap_nframes(const struct an_heatmap *h)
{
	return an_strmap_count(h->frames);
}

size_t an_heatmap_nnodes(const struct an_heatmap *h)
{
	return an_strmap_count(h->nodes);
}

/* Frame ids by name (bytes); the map is qsort_r's context. */
static int frame_cmp(const void *a, const void *b, void *ctx)
{
	const struct an_strmap *m = ctx;
	size_t la, lb;
	const char *x = an_strmap_key(m, *(const uint32_t *)a, &la);
	const char *y = an_strmap_key(m, *(const uint32_t *)b, &lb);
	int c = memcmp(x, y, la < lb ? la : lb);

	return c ? c : la < lb ? -1 : la > lb;
}

/* Nodes of one depth by (written parent, frame rank), the key pairs in ctx. */
static int node_cmp(const void *a, const void *b, void *ctx)
{
	const uint32_t *key = ctx;
	const uint32_t *x = &key[2 * *(const uint32_t *)a];
	const uint32_t *y = &key[2 * *(const uint32_t *)b];

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/*
 * Written order: frames by name (bytes), nodes breadth first with siblings
 * by frame name, so the page does not depend on the order of the rows.
 * Parents keep smaller ids than their children.
 */
static int order_output(struct an_heatmap *h, struct an_err *err)
{
	size_t nf = an_strmap_count(h->frames), nn = an_strmap_count(h->nodes), i, d, done;
	uint32_t *rank = malloc((nf + 1) * sizeof *rank), *depth = malloc((nn + 1) * sizeof *depth);
	uint32_t *key = malloc((2 * nn + 1) * sizeof *key), *order = malloc((nn + 1) * sizeof *order);
	uint32_t *newid = malloc((nn + 1) * sizeof *newid), max_depth = 0, k[2];
	int rc = AN_OK;

	h->frame_order = malloc((nf + 1) * sizeof *h->frame_order);
	h->node_parent = malloc((nn + 1) * sizeof *h->node_parent);
	h->node_frame = malloc((nn + 1) * sizeof *h->node_frame);
	if (!rank || !depth || !key || !order || !newid || !h->frame_order || !h->node_parent ||
	    !h->node_frame) {
		rc = an_err_sys(err, ENOMEM, "heatmap");
		goto out;
	}
	for (i = 0; i < nf; i++)
		h->frame_order[i] = (uint32_t)i;
	qsort_r(h->frame_order, nf, sizeof *h->frame_order, frame_cmp, h->frames);
	for (i = 0; i < nf; i++)
		rank[h->frame_order[i]] = (uint32_t)i;
	for (i = 0; i < nn; i++) {
		memcpy(k, an_strmap_key(h->nodes, i, &d), sizeof k);
		depth[i] = k[0] == ROOT ? 0 : depth[k[0]] + 1;
		if (depth[i] > max_depth)
			max_depth = depth[i];
	}
	/* counting sort by depth, then each depth by (parent, frame) */
	for (i = 0; i <= max_depth; i++)
		newid[i] = 0;
	for (i = 0; i < nn; i++)
		newid[depth[i]]++;
	for (d = 0, done = 0; d <= max_depth; d++) {
		size_t c = newid[d];

		newid[d] = (uint32_t)done;
		done += c;
	}
	for (i = 0; i < nn; i++)
		order[newid[depth[i]]++] = (uint32_t)i;
	for (done = 0; done < nn;) {
		size_t start = done, len;

		for (d = depth[order[start]]; done < nn && depth[order[done]] == d; done++) {
			memcpy(k, an_strmap_key(h->nodes, order[done], &len), sizeof k);
			key[2 * order[done]] = k[0] == ROOT ? 0 : newid[k[0]] + 1;
			key[2 * order[done] + 1] = rank[k[1]];
		}
		qsort_r(order + start, done - start, sizeof *order, node_cmp, key);
		for (i = start; i < done; i++) {
			newid[order[i]] = (uint32_t)i;
			h->node_parent[i] = key[2 * order[i]] ? key[2 * order[i]] - 1 : ROOT;
			h->node_frame[i] = key[2 * order[i] + 1];
		}
	}
	for (i = 0; i < h->npairs; i++)
		h->pairs[i].node = newid[h->pairs[i].node];
out:
	free(rank);
	free(depth);
	free(key);
	free(order);
	free(newid);
	return rc;
}

int an_heatmap_finish(struct an_heatmap *h, struct an_err *err)
{
	int rc = order_output(h, err);

	if (rc != AN_OK)
		return rc;
	compact(h);
	return h->npairs > h->max_pairs ? pairs_over(h, err) : AN_OK;
}

uint64_t an_heatmap_cell(const struct an_heatmap *h, uint32_t col, uint32_t row)
{
	int64_t sec = h->min_sec + col;
	size_t lo = 0, hi = h->npairs;
	uint64_t sum = 0;

	if (!h->events || col >= an_heatmap_ncols(h) || row >= h->rows)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pair *p = &h->pairs[mid];

		if (p->sec < sec || (p->sec == sec && p->row < row))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < h->npairs && h->pairs[lo].sec == sec && h->pairs[lo].row == row; lo++)
		sum += h->pairs[lo].w;
	return sum;
}

void an_heatmap_json_string(FILE *out, const char *s, size_t len)
{
	size_t i = 0, ok = an_utf8_valid_prefix(s, len);

	fputc('"', out);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (i >= ok) {
			fputs("\\ufffd", out);
			i++;
			ok = i + an_utf8_valid_prefix(s + i, len - i);
		} else if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
			i++;
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
			i++;
		} else if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
			   ((unsigned char)s[i + 2] & 0xfe) == 0xa8) {
			/* U+2028 and U+2029 end a line in older JavaScript */
			fprintf(out, "\\u%s", (unsigned char)s[i + 2] == 0xa8 ? "2028" : "2029");
			i += 3;
		} else {
			fputc(c, out);
			i++;
		}
	}
	fputc('"', out);
}

static void write_frames(FILE *out, const struct an_heatmap *h)
{
	size_t i, n = an_strmap_count(h->frames), len;

	fputs("\"frames\":[", out);
	for (i = 0; i < n; i++) {
		const char *s = an_strmap_key(h->frames, h->frame_order[i], &len);

		fputs(i ? ",\n" : "\n", out);
		an_heatmap_json_string(out, s, len);
	}
	fputs("],\n", out);
}

static void write_nodes(FILE *out, const struct an_heatmap *h)
{
	size_t i, n = an_strmap_count(h->nodes);

	fputs("\"nodes\":[", out);
	for (i = 0; i < n; i++) {
		if (h->node_parent[i] == ROOT)
			fprintf(out, "%s-1,%u", i ? "," : "", h->node_frame[i]);
		else
			fprintf(out, "%s%u,%u", i ? "," : "", h->node_parent[i], h->node_frame[i]);
		if (i % 16 == 15)
			fputc('\n', out);
	}
	fputs("],\n", out);
}

/* Per non-empty cell: its index (column * rows + row), pair count, pairs. */
static void write_cells(FILE *out, const struct an_heatmap *h)
{
	size_t i = 0, j;
	char b[AN_NUM_BUF];

	fputs("\"cells\":[", out);
	while (i < h->npairs) {
		const struct pair *p = &h->pairs[i];
		uint64_t cell = (uint64_t)(p->sec - h->min_sec) * h->rows + p->row;

		for (j = i; j < h->npairs && h->pairs[j].sec == p->sec && h->pairs[j].row == p->row;)
			j++;
		fprintf(out, "%s\n%s,%zu", i ? "," : "", an_num_fmt_u64(b, cell), j - i);
		for (; i < j; i++)
			fprintf(out, ",%u,%s", h->pairs[i].node, an_num_fmt_u64(b, h->pairs[i].w));
	}
	fputs("],\n", out);
}

static void write_windows(FILE *out, const struct an_heatmap *h)
{
	char a[32], b[32];
	size_t i;

	fputs("\"windows\":[", out);
	for (i = 0; i < h->nwins; i++) {
		fputs(i ? ",\n[" : "\n[", out);
		an_heatmap_json_string(out, h->wins[i].label, h->wins[i].len);
		fprintf(out, ",%s,%s]", an_time_fmt(a, h->wins[i].start_ms),
			an_time_fmt(b, h->wins[i].end_ms));
	}
	fputs("]\n", out);
}

static void write_data(FILE *out, const struct an_heatmap *h, const char *title,
		       const char *countname)
{
	char a[AN_NUM_BUF], b[AN_NUM_BUF];

	fputs("<script type=\"application/json\" id=\"hm-data\">{\"version\":1,\"title\":", out);
	an_heatmap_json_string(out, title, strlen(title));
	fputs(",\"countname\":", out);
	an_heatmap_json_string(out, countname, strlen(countname));
	fprintf(out, ",\n\"start\":%lld,\"cols\":%u,\"rows\":%u,\"bucketMs\":%u,",
		(long long)an_heatmap_first_second(h), an_heatmap_ncols(h), h->rows,
		h->bucket_ms);
	fprintf(out, "\"events\":%s,\"total\":%s,\n", an_num_fmt_u64(a, h->events),
		an_num_fmt_u64(b, h->total));
	write_frames(out, h);
	write_nodes(out, h);
	write_cells(out, h);
	write_windows(out, h);
	fputs("}</script>\n", out);
}

static void escape_html(FILE *out, const char *s)
{
	size_t len = strlen(s), i = 0, ok = an_utf8_valid_prefix(s, len);

	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= ok) {
			fputs("\xef\xbf\xbd", out);
			ok = i + 1 + an_utf8_valid_prefix(s + i + 1, len - i - 1);
		} else if (c == '<') {
			fputs("&lt;", out);
		} else if (c == '>') {
			fputs("&gt;", out);
		} else if (c == '&') {
			fputs("&amp;", out);
		} else if (c == '"') {
			fputs("&quot;", out);
		} else if (c == '\'') {
			fputs("&#39;", out);
		} else if (c < 0x20 || c == 0x7f) {
			fputc(' ', out);
		} else {
			fputc(c, out);
		}
	}
}

int an_heatmap_write_html(FILE *out, const struct an_heatmap *h, const char *title,
			  const char *countname, struct an_err *err)
{
	if (!title)
		title = "Heatmap";
	if (!countname)
		countname = "samples";
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "script-src 'unsafe-inline'; style-src 'unsafe-inline'\">\n<title>", out);
	escape_html(out, title);
	fputs("</title>\n<style>\n", out);
	fputs(heatmap_css, out);
	fputs("</style></head>\n<body>\n<h1 id=\"hm-title\">", out);
	escape_html(out, title);
	fputs("</h1>\n", out);
	fputs(heatmap_html, out);
	write_data(out, h, title, countname);
	fputs("<script>\n", out);
	fputs(heatmap_js, out);
	fputs("</script>\n</body></html>\n", out);
	if (ferror(out))
		return an_err_sys(err, errno ? errno : EIO, "write error");
	return AN_OK;
}
