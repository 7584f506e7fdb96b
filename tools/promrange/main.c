/* promrange - Prometheus range queries (or saved responses) to TSV. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "an_prom.h"
#include "an_reader.h"
#include "an_timespec.h"
#include "help.h"
#include "tool.h"

#define MAX_QUERIES 1000
#define MAX_HEADERS 100

struct cfg {
	const char *url, *start, *end, *step, *output, *archive, *replay;
	int wide;
	uint64_t max_points, max_memory_mib;
	struct an_http_opts http;
	const char *headers[MAX_HEADERS];
	char *names[MAX_QUERIES], *exprs[MAX_QUERIES];
	size_t nq;
};

enum {
	OPT_WIDE = 256, OPT_ARCHIVE, OPT_REPLAY, OPT_MAX_POINTS, OPT_MAX_MEMORY,
	OPT_BEARER_TOKEN_FILE, OPT_BASIC_AUTH_FILE, OPT_NETRC, OPT_NETRC_FILE,
	OPT_CACERT, OPT_CERT, OPT_KEY, OPT_INSECURE, OPT_CONNECT_TIMEOUT,
	OPT_TIMEOUT, OPT_RETRIES, OPT_RETRY_WAIT_MAX, OPT_HELP, OPT_VERSION
};

static const struct option longopts[] = {
	{ "url", required_argument, NULL, 'u' },
	{ "query", required_argument, NULL, 'q' },
	{ "queries", required_argument, NULL, 'f' },
	{ "start", required_argument, NULL, 's' },
	{ "end", required_argument, NULL, 'e' },
	{ "step", required_argument, NULL, 't' },
	{ "output", required_argument, NULL, 'o' },
	{ "header", required_argument, NULL, 'H' },
	{ "wide", no_argument, NULL, OPT_WIDE },
	{ "archive", required_argument, NULL, OPT_ARCHIVE },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "max-points", required_argument, NULL, OPT_MAX_POINTS },
	{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
	{ "bearer-token-file", required_argument, NULL, OPT_BEARER_TOKEN_FILE },
	{ "basic-auth-file", required_argument, NULL, OPT_BASIC_AUTH_FILE },
	{ "netrc", no_argument, NULL, OPT_NETRC },
	{ "netrc-file", required_argument, NULL, OPT_NETRC_FILE },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "retry-wait-max", required_argument, NULL, OPT_RETRY_WAIT_MAX },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void add_query(struct cfg *c, char *name, char *expr)
{
	struct an_err err;

	size_t i;

	if (an_prom_name_check(name, &err) != AN_OK)
		tool_usage("%s", err.msg);
	/* each query's responses are saved as NAME.json: one name, one query */
	for (i = 0; i < c->nq; i++)
		if (strcmp(c->names[i], name) == 0)
			tool_usage("query name '%s' given twice", name);
	if (c->nq == MAX_QUERIES)
		tool_usage("more than %d queries", MAX_QUERIES);
	c->names[c->nq] = name;
	c->exprs[c->nq++] = expr;
}

static void queries_file(struct cfg *c, const char *path)
{
	struct an_reader *r;
	struct an_err err;
	char *name, *expr;
	int got;

	if (an_reader_open(&r, path, &err) != AN_OK)
		tool_die_err(&err);
	while ((got = an_prom_queries_next(r, &name, &expr, &err)) > 0)
		add_query(c, name, expr);
	if (got < 0)
		tool_die_err(&err);
	an_reader_free(r);
}

static long opt_ms(const char *opt, const char *val)
{
	return (long)(tool_opt_double(opt, val, 0, 86400) * 1000);
}

static void options(struct cfg *c, int argc, char **argv)
{
	struct an_err err;
	int ch;
	char *eq;

	while ((ch = tool_getopt(argc, argv, "u:q:f:s:e:t:o:H:", longopts)) != -1) {
		switch (ch) {
		case 'u': c->url = optarg; break;
		case 'q':
			eq = strchr(optarg, '=');
			if (!eq || eq[1] == '\0')
				tool_usage("-q wants NAME=EXPR, not '%s'", optarg);
			*eq = '\0';
			add_query(c, optarg, eq + 1);
			break;
		case 'f': queries_file(c, optarg); break;
		case 's': c->start = optarg; break;
		case 'e': c->end = optarg; break;
		case 't': c->step = optarg; break;
		case 'o': c->output = optarg; break;
		case 'H':
			if (an_http_header_check(optarg, &err) != AN_OK)
				tool_usage("option -H: %s", err.msg);
			if (c->http.nheaders == MAX_HEADERS)
				tool_usage("more than %d headers", MAX_HEADERS);
			c->headers[c->http.nheaders++] = optarg;
			break;
		case OPT_WIDE: c->wide = 1; break;
		case OPT_ARCHIVE: c->archive = optarg; break;
		case OPT_REPLAY: c->replay = optarg; break;
		case OPT_MAX_POINTS: c->max_points = tool_opt_u64("--max-points", optarg, 1, 1000000); break;
		case OPT_MAX_MEMORY: c->max_memory_mib = tool_opt_u64("--max-memory", optarg, 1, 1 << 20); break;
		case OPT_BEARER_TOKEN_FILE: c->http.bearer_token_file = optarg; break;
		case OPT_BASIC_AUTH_FILE: c->http.basic_auth_file = optarg; break;
		case OPT_NETRC: c->http.netrc = 1; break;
		case OPT_NETRC_FILE: c->http.netrc_file = optarg; break;
		case OPT_CACERT: c->http.cacert = optarg; break;
		case OPT_CERT: c->http.cert = optarg; break;
		case OPT_KEY: c->http.key = optarg; break;
		case OPT_INSECURE: c->http.insecure = 1; break;
		case OPT_CONNECT_TIMEOUT: c->http.connect_timeout_ms = opt_ms("--connect-timeout", optarg); break;
		case OPT_TIMEOUT: c->http.timeout_ms = opt_ms("--timeout", optarg); break;
		case OPT_RETRIES: c->http.retries = (unsigned)tool_opt_u64("--retries", optarg, 0, 100); break;
		case OPT_RETRY_WAIT_MAX: c->http.wait_max_ms = opt_ms("--retry-wait-max", optarg); break;
		case OPT_HELP: tool_help(help_text);
		case OPT_VERSION: tool_version();
		}
	}
}

static void on_warning(void *ctx, const char *source, const char *text)
{
	(void)ctx;
	tool_warn("%s: warning: %s", source, text);
}

static void on_retry(void *ctx, unsigned attempt, long wait_ms, const char *why)
{
	(void)ctx;
	tool_warn("%s: attempt %u in %ld.%03ld s", why, attempt, wait_ms / 1000, wait_ms % 1000);
}

/* Where a query goes once complete: long output now, wide at the end. */
struct sink {
	struct an_prom *p;
	int wide;
	FILE *out;
};

static int write_query(void *ctx, size_t q, struct an_err *err)
{
	struct sink *k = ctx;

	if (k->wide)
		return AN_OK;
	if (an_prom_write_long(k->p, q, k->out, err) != AN_OK)
		return err->status;
	an_prom_query_release(k->p, q);
	return AN_OK;
}

static int64_t parse_time(const char *opt, const char *s, int64_t now)
{
	struct an_err err;
	int64_t t;

	if (an_time_parse(s, now, &t, &err) != AN_OK)
		tool_usage("%s: %s", opt, err.msg);
	return t;
}

/* The range of the queries, checked before any output. */
static void range(const struct cfg *c, struct an_prom_range *rg)
{
	struct timespec ts;
	struct an_err err;
	int64_t now;

	if (!c->start || !c->step)
		tool_usage("a range query needs --start and --step");
	clock_gettime(CLOCK_REALTIME, &ts);
	now = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
	rg->start = parse_time("--start", c->start, now);
	rg->end = parse_time("--end", c->end, now);
	if (an_duration_parse(c->step, &rg->step, &err) != AN_OK)
		tool_usage("--step: %s", err.msg);
	if (rg->end < rg->start)
		tool_usage("--end is before --start");
	rg->max_points = c->max_points;
}

static void online(struct sink *k, struct cfg *c, struct an_prom_range *rg)
{
	struct an_http *h;
	struct an_err err;
	FILE *index = NULL;
	size_t i, q;

	if (c->archive && an_prom_archive_open(c->archive, &index, &err) != AN_OK)
		tool_die_err(&err);
	c->http.headers = c->headers;
	c->http.user_agent = "promrange/" AN_VERSION;
	if (an_http_new(&h, &c->http, on_retry, NULL, &err) != AN_OK)
		tool_die_err(&err);
	for (i = 0; i < c->nq; i++) {
		rg->name = c->names[i];
		rg->expr = c->exprs[i];
		if (an_prom_query(k->p, rg->name, &q, &err) != AN_OK ||
		    an_prom_fetch(k->p, q, h, c->url, rg, c->archive, index, on_warning, NULL, &err))
			tool_die_err(&err);
		if (write_query(k, q, &err) != AN_OK)
			tool_die_err(&err);
	}
	an_http_free(h);
	if (index && an_prom_archive_close(c->archive, index, &err) != AN_OK)
		tool_die_err(&err);
}

int main(int argc, char **argv)
{
	struct cfg c = { .url = "http://localhost:9090", .end = "now",
			 .max_points = AN_PROM_POINTS_MAX, .max_memory_mib = 2048,
			 .http = { .connect_timeout_ms = 10000, .timeout_ms = 120000, .retries = 3,
				   .backoff_ms = 500, .wait_max_ms = 30000,
				   .max_bytes = (uint64_t)4 << 30 } };
	struct an_prom_range rg = { 0 };
	struct an_prom *p;
	struct an_err err;
	struct sink k;
	char **paths = NULL, *dash[] = { "-" };
	size_t npaths = 0;
	FILE *out;

	tool_init("promrange");
	options(&c, argc, argv);
	if (c.replay && an_prom_index_read(c.replay, &paths, &npaths, &err) != AN_OK)
		tool_die_err(&err);
	if ((c.replay || optind < argc) && (c.nq || c.archive))
		tool_usage("queries (-q, -f, --archive) and saved responses cannot be mixed");
	if (c.replay && optind < argc)
		tool_usage("--replay and file arguments cannot be mixed");
	if (!c.replay && optind < argc) {
		paths = argv + optind;
		npaths = (size_t)(argc - optind);
	} else if (!c.replay && c.nq == 0) {
		paths = dash;
		npaths = 1;
	}
	if (!npaths && !c.replay)
		range(&c, &rg);
	if (an_prom_new(&p, (size_t)c.max_memory_mib << 20, &err) != AN_OK)
		tool_die_err(&err);
	out = tool_out_open(c.output);
	k = (struct sink){ p, c.wide, out };
	if (!c.wide && an_prom_write_long_header(out) != 0)
		tool_die(EXIT_SYS, "write error");
	if (!(npaths || c.replay))
		online(&k, &c, &rg);
	else if (an_prom_replay(p, paths, npaths, on_warning, NULL, write_query, &k,
				&err) != AN_OK)
		tool_die_err(&err);
	if (c.wide && an_prom_write_wide(p, out, &err) != AN_OK)
		tool_die_err(&err);
	an_prom_free(p);
	if (c.replay)
		an_prom_paths_free(paths, npaths);
	tool_out_close(out);
	return EXIT_OK;
}
