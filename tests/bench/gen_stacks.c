/* gen_stacks - write a deterministic collapsed-stacks file for the
 * stacks benchmark: LINES stacks drawn from a fixed call graph of about
 * 20,000 frame names (async-profiler style, annotated), depth 12 to 44,
 * counts 1 to 1000, in the scattered order async-profiler writes them.
 * Usage: gen_stacks LINES > FILE   (fixed seed: same bytes every run) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

#define NFRAMES 20000
static char names[NFRAMES][64];

int main(int argc, char **argv)
{
	static const char *const pkgs[] = { "com/acme/shop", "org/example/catalog",
		"java/util/concurrent", "io/netty/channel", "org/springframework/web",
		"java/util/regex", "sun/nio/ch", "com/fasterxml/jackson/databind" };
	static const char *const ann[] = { "_[j]", "_[i]", "_[0]", "_[1]", "" };
	long lines = argc > 1 ? atol(argv[1]) : 1000000, l;
	static char buf[1 << 16];
	int i;

	setvbuf(stdout, buf, _IOFBF, sizeof buf);
	for (i = 0; i < NFRAMES; i++)
		snprintf(names[i], sizeof names[i], "%s/Class%03d$Inner.method%04d%s",
			 pkgs[next() % 8], (int)(next() % 1000), i, ann[next() % 5]);
	for (l = 0; l < lines; l++) {
		int depth = 12 + (int)(next() % 33), d;
		/* callers cluster: frame ids stay near the previous one */
		int f = (int)(next() % 64);

		for (d = 0; d < depth; d++) {
			fputs(names[f], stdout);
			putchar(d + 1 < depth ? ';' : ' ');
			f = (f * 7 + 1 + (int)(next() % 97) + d * 331) % NFRAMES;
		}
		printf("%d\n", 1 + (int)(next() % 1000));
	}
	return ferror(stdout) != 0;
}
