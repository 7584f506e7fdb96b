/* Fuzz target: the readers of run-folder data that decide the pipeline:
 * run.env (an_runenv: values, epochs, load window, capture intervals),
 * outliers' rankings and the hot-pod pick (an_ranking_read, an_hotpod_pick,
 * an_hotpod_read), and verdict tables combined (an_verdict_combine_tables).
 * The first byte picks the reader.  Invariants: every error has a message;
 * a picked pod is a valid pod name; nothing crashes on any bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "an_hotpod.h"
#include "an_runenv.h"
#include "an_verdict.h"
#include "fuzz_reader.h"

static void fuzz_runenv(const uint8_t *data, size_t size)
{
	struct an_reader *r = fuzz_reader(data, size, 1024);
	struct an_runenv *e;
	struct an_err err;
	int64_t a, b;

	if (an_runenv_read(&e, r, &err) != AN_OK) {
		fuzz_check_err(&err);
		an_reader_free(r);
		return;
	}
	(void)an_runenv_get(e, "pods");
	if (an_runenv_epoch(e, "load_start", &a, &err) != AN_OK)
		fuzz_check_err(&err);
	if (an_runenv_load(e, 20, &a, &b, &err) != AN_OK)
		fuzz_check_err(&err);
	else if (a >= b)
		abort();
	if (an_runenv_interval(e, "pod-a.cpu", &a, &b, &err) != AN_OK)
		fuzz_check_err(&err);
	if (an_runenv_interval(e, "nodot", &a, &b, &err) == AN_OK)
		abort();
	an_runenv_free(e);
	an_reader_free(r);
}

static int every_pod(const char *pod, void *ctx)
{
	(void)ctx;
	return pod[0] != 'x';
}

static void fuzz_ranking(const uint8_t *data, size_t size)
{
	/* two rankings: the input split at its first form feed */
	const uint8_t *ff = memchr(data, '\f', size);
	size_t n1 = ff ? (size_t)(ff - data) : size;
	struct an_ranking rk[2];
	struct an_hotpod h;
	struct an_err err;
	size_t n = 0;
	struct an_reader *r;

	memset(rk, 0, sizeof rk);
	r = fuzz_reader(data, n1, 1024);
	if (an_ranking_read(&rk[0], "p99", r, &err) == AN_OK)
		n++;
	else
		fuzz_check_err(&err);
	an_reader_free(r);
	if (ff && n == 1) {
		r = fuzz_reader(ff + 1, size - n1 - 1, 1024);
		if (an_ranking_read(&rk[1], "cpu", r, &err) == AN_OK)
			n++;
		else
			fuzz_check_err(&err);
		an_reader_free(r);
	}
	if (n) {
		if (an_hotpod_pick(rk, n, every_pod, NULL, &h, &err) != AN_OK) {
			fuzz_check_err(&err);
		} else {
			if (!an_pod_name_valid(h.top, strlen(h.top)))
				abort();
			if (h.normal[0] && !an_pod_name_valid(h.normal, strlen(h.normal)))
				abort();
		}
	}
	an_ranking_release(&rk[0]);
	if (n == 2)
		an_ranking_release(&rk[1]);
}

static void fuzz_hotpod_read(const uint8_t *data, size_t size)
{
	struct an_reader *r = fuzz_reader(data, size, 1024);
	char *top = NULL, *normal = NULL;
	struct an_err err;

	if (an_hotpod_read(r, &top, &normal, &err) != AN_OK) {
		fuzz_check_err(&err);
	} else {
		if (!an_pod_name_valid(top, strlen(top)) ||
		    (normal[0] && !an_pod_name_valid(normal, strlen(normal))))
			abort();
		free(top);
		free(normal);
	}
	an_reader_free(r);
}

static void fuzz_verdict(const uint8_t *data, size_t size)
{
	struct an_reader *r[2];
	struct an_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	r[0] = fuzz_reader(data, size, 1024);
	r[1] = fuzz_reader(data, size / 2, 1024);
	if (an_verdict_combine_tables(f, r, 2, &err) != AN_OK)
		fuzz_check_err(&err);
	fclose(f);
	free(buf);
	an_reader_free(r[0]);
	an_reader_free(r[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 16384)
		return 0;
	switch (data[0] % 4) {
	case 0: fuzz_runenv(data + 1, size - 1); break;
	case 1: fuzz_ranking(data + 1, size - 1); break;
	case 2: fuzz_hotpod_read(data + 1, size - 1); break;
	default: fuzz_verdict(data + 1, size - 1); break;
	}
	return 0;
}
