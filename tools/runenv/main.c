/* runenv - read a run folder's run.env: one value, the load window or a
 * profile's capture interval, as the pipeline's steps need them. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "an_reader.h"
#include "an_runenv.h"
#include "help.h"
#include "tool.h"

enum mode { MODE_NONE, MODE_KEY, MODE_EPOCH, MODE_LOAD, MODE_INTERVAL };

struct cfg {
	enum mode mode;
	const char *arg, *output;
	int64_t warmup;
};

enum { OPT_EPOCH = 256, OPT_LOAD, OPT_WARMUP, OPT_INTERVAL, OPT_HELP, OPT_VERSION };

static const struct option longopts[] = {
	{ "key", required_argument, NULL, 'k' },
	{ "epoch", required_argument, NULL, OPT_EPOCH },
	{ "load", no_argument, NULL, OPT_LOAD },
	{ "warmup", required_argument, NULL, OPT_WARMUP },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static void set_mode(struct cfg *c, enum mode m, const char *arg)
{
	if (c->mode != MODE_NONE)
		tool_usage("--key, --epoch, --load and --interval exclude each other");
	c->mode = m;
	c->arg = arg;
}

static void parse_args(int argc, char **argv, struct cfg *c)
{
	int ch, have_warmup = 0;

	while ((ch = tool_getopt(argc, argv, "k:o:", longopts)) != -1) {
		switch (ch) {
		case 'k': set_mode(c, MODE_KEY, optarg); break;
		case OPT_EPOCH: set_mode(c, MODE_EPOCH, optarg); break;
		case OPT_LOAD: set_mode(c, MODE_LOAD, NULL); break;
		case OPT_INTERVAL: set_mode(c, MODE_INTERVAL, optarg); break;
		case OPT_WARMUP:
			c->warmup = (int64_t)tool_opt_u64("--warmup", optarg, 0, 1000000000);
			have_warmup = 1;
			break;
		case 'o': c->output = optarg; break;
		case OPT_HELP: tool_help(help_text);
		case OPT_VERSION: tool_version();
		}
	}
	if (c->mode == MODE_NONE)
		tool_usage("say what to read: --key, --epoch, --load or --interval");
	if (have_warmup && c->mode != MODE_LOAD)
		tool_usage("--warmup applies to --load");
	if (argc - optind > 1)
		tool_usage("one run.env file at most");
}

static void print(FILE *out, const struct an_runenv *e, const struct cfg *c)
{
	struct an_err err;
	int64_t a, b;
	const char *v;

	switch (c->mode) {
	case MODE_KEY:
		v = an_runenv_get(e, c->arg);
		fprintf(out, "%s\n", v ? v : "");
		return;
	case MODE_EPOCH:
		if (an_runenv_epoch(e, c->arg, &a, &err) != AN_OK)
			tool_die_err(&err);
		fprintf(out, "%lld\n", (long long)a);
		return;
	case MODE_LOAD:
		if (an_runenv_load(e, c->warmup, &a, &b, &err) != AN_OK)
			tool_die_err(&err);
		break;
	case MODE_INTERVAL:
		if (an_runenv_interval(e, c->arg, &a, &b, &err) != AN_OK)
			tool_die_err(&err);
		break;
	case MODE_NONE:
		return;
	}
	fprintf(out, "%lld,%lld\n", (long long)a, (long long)b);
}

int main(int argc, char **argv)
{
	struct cfg c = { 0 };
	struct an_reader *r;
	struct an_runenv *e;
	struct an_err err;
	FILE *out;

	tool_init("runenv");
	parse_args(argc, argv, &c);
	if (an_reader_open(&r, optind < argc ? argv[optind] : NULL, &err) != AN_OK ||
	    an_runenv_read(&e, r, &err) != AN_OK)
		tool_die_err(&err);
	an_reader_free(r);
	out = tool_out_open(c.output);
	print(out, e, &c);
	tool_out_close(out);
	an_runenv_free(e);
	return EXIT_OK;
}
