/* Unit tests of an_offcpu, an_appmatch and an_diagnose: state rules (the
 * first frame below the application frame decides), thread frames and the
 * request-thread filter, details per event, normalisation, the pod lookup
 * of outliers rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_appmatch.h"
#include "an_diagnose.h"
#include "an_offcpu.h"
#include "unit.h"
#include "unit_reader.h"

static enum an_state state_of(const char *frames)
{
	return an_state_of(frames, strlen(frames));
}

static void test_states(void)
{
	CHECK(state_of("java/lang/Thread.sleep;JVM_Sleep;os::PlatformEvent::park") ==
	      AN_STATE_SLEEP);
	CHECK(state_of("_complete_monitor_locking_Java;ObjectMonitor::enter") ==
	      AN_STATE_MONITOR);
	CHECK(state_of("java/util/concurrent/locks/ReentrantLock.lock;"
		       "java/util/concurrent/locks/LockSupport.park") == AN_STATE_PARK);
	CHECK(state_of("java/lang/Object.wait") == AN_STATE_PARK);
	CHECK(state_of("java/io/BufferedReader.readLine;java/net/SocketInputStream.read")
	      == AN_STATE_IO);
	CHECK(state_of("__libc_recv") == AN_STATE_IO);
	CHECK(state_of("java/util/HashMap.get") == AN_STATE_RUNNING);
	CHECK(state_of("") == AN_STATE_RUNNING);
	/* exact names: "reader" is not "read", "java/net/URI.<init>" is no I/O */
	CHECK(state_of("reader;java/net/URI.<init>") == AN_STATE_RUNNING);
}

static void test_appmatch(void)
{
	struct an_appmatch *m;
	struct an_err err;

	CHECK(an_appmatch_new(&m, NULL, "org.acme", &err) == AN_OK);
	CHECK(an_appmatch_test(m, "org/acme/X.y", 12, &err) == 1);
	CHECK(an_appmatch_test(m, "org/acm", 7, &err) == 0);
	an_appmatch_free(m);
	CHECK(an_appmatch_new(&m, NULL, NULL, &err) == AN_OK);
	CHECK(an_appmatch_test(m, "[t tid=1]", 9, &err) == 0);
	CHECK(an_appmatch_test(m, "java/X.y", 8, &err) == 1);
	an_appmatch_free(m);
	CHECK(an_appmatch_new(&m, "^org/", "com.acme", &err) == AN_OK);
	CHECK(an_appmatch_test(m, "com/acme/A.b", 12, &err) == 1);
	CHECK(an_appmatch_test(m, "org/x/A.b", 9, &err) == 1);
	an_appmatch_free(m);
	CHECK(an_appmatch_new(&m, "(", NULL, &err) == AN_EDATA);
	CHECK(strstr(err.msg, "bad regular expression '('") != NULL);
}

static struct an_offcpu *attr(enum an_event ev)
{
	struct an_offcpu_opts o = { ev, NULL, "org/", 0 };
	struct an_offcpu *a;
	struct an_err err;

	if (an_offcpu_new(&a, &o, &err) != AN_OK)
		abort();
	return a;
}

static void add(struct an_offcpu *a, const char *stack, uint64_t n)
{
	struct an_err err;

	CHECK(an_offcpu_add(a, stack, strlen(stack), n, &err) == AN_OK);
}

static void test_wall_threads(void)
{
	struct an_offcpu *a = attr(AN_EVENT_WALL);
	struct an_offcpu_totals t;
	struct an_offcpu_row *r;
	struct an_err err;
	size_t n;

	add(a, "[w-1 tid=1];run;org/A.b_[j];java/lang/Thread.sleep_[j];JVM_Sleep", 6);
	add(a, "[w-1 tid=1];run;getTask;LockSupport.park", 10);
	add(a, "[w-2 tid=2];run;org/A.b;org/A$$Lambda$3.0x00007f00.c;HashMap.get", 4);
	add(a, "[idle tid=3];run;getTask;java/util/concurrent/locks/LockSupport.park", 50);
	add(a, "no;thread;frame", 7);
	an_offcpu_totals(a, &t);
	CHECK(t.all == 77 && t.kept == 10);
	CHECK(t.threads == 3 && t.request_threads == 2);
	CHECK(t.idle == 10 && t.other == 57);
	r = an_offcpu_rows(a, &n, &err);
	CHECK(n == 2);
	CHECK(n == 2 && r[0].count == 6);
	CHECK(n == 2 && memcmp(r[0].detail, "sleep", 5) == 0);
	/* lambda address and number normalised away */
	CHECK(n == 2 && r[1].frame_len == strlen("org/A$$Lambda.c") &&
	      memcmp(r[1].frame, "org/A$$Lambda.c", r[1].frame_len) == 0);
	free(r);
	an_offcpu_free(a);
}

/* wait: the states of wall, durations as weights, request threads only;
 * --kind adds the lock profile's monitor enters to that blocked time */
static void test_wait(void)
{
	struct an_offcpu *w = attr(AN_EVENT_WAIT), *l = attr(AN_EVENT_LOCK);
	struct an_diag_input in;
	struct an_offcpu_totals t;
	struct an_offcpu_row *r;
	enum an_event ev;
	struct an_err err;
	char *out = NULL;
	size_t n, len = 0;
	FILE *f;

	CHECK(an_event_parse("wait", &ev, &err) == AN_OK && ev == AN_EVENT_WAIT);
	CHECK(strcmp(an_event_name(AN_EVENT_WAIT), "wait") == 0);
	CHECK(strcmp(an_offcpu_detail_name(AN_EVENT_WAIT), "state") == 0);
	CHECK(an_event_parse("waits", &ev, &err) == AN_EDATA &&
	      strstr(err.msg, "lock, alloc or wait") != NULL);
	add(w, "[w-1 tid=1];run;org/L.commit;java/lang/Thread.sleep", 4000000000u);
	add(w, "[w-1 tid=1];run;getTask;jdk/internal/misc/Unsafe.park", 7000000000u);
	add(w, "[w-2 tid=2];run;org/F.fetch;sun/nio/ch/NioSocketImpl.read", 50000000);
	add(w, "[sel tid=3];run;sun/nio/ch/EPoll.wait", 9000000000u);
	an_offcpu_totals(w, &t);
	CHECK(t.kept == 4050000000u && t.request_threads == 2);
	CHECK(t.idle == 7000000000u && t.other == 9000000000u);
	r = an_offcpu_rows(w, &n, &err);
	CHECK(n == 2 && memcmp(r[0].detail, "sleep", 5) == 0 &&
	      memcmp(r[1].detail, "io", 2) == 0);
	free(r);
	add(l, "[w-2 tid=2];run;org/L.commit", 1000000000u);
	add(l, "[sel tid=3];run;ServerImpl.handle", 3000000000u);	/* no app frame */
	memset(&in, 0, sizeof in);
	in.profile[AN_EVENT_WAIT] = w;
	in.profile[AN_EVENT_LOCK] = l;
	f = open_memstream(&out, &len);
	CHECK(an_diagnose_write(f, &in, &err) == AN_OK);
	fclose(f);
	CHECK(strstr(out, "\nkind\tlock/wait-bound\nculprit\torg/L.commit\n"
		     "profile\twait+lock\n") != NULL);
	/* 4 s sleeping inside, 1 s entering, of 5.05 s blocked */
	CHECK(strstr(out, "spend 79.2% of their blocked time in `org/L.commit` "
		     "(sleeping while holding its monitor), 19.8% waiting to "
		     "enter it\n") != NULL);
	free(out);
	an_offcpu_free(w);
	an_offcpu_free(l);
}

static void test_lock_alloc_details(void)
{
	struct an_offcpu *a = attr(AN_EVENT_LOCK);
	struct an_offcpu_row *r;
	struct an_err err;
	size_t n;

	add(a, "run;org/A.commit_[j];org.A_[i]", 5);
	add(a, "run;dispatch;java.lang.Object_[i]", 3);
	add(a, "run;org/A.other;org/A.commit", 1);	/* a method leaf: no class */
	r = an_offcpu_rows(a, &n, &err);
	CHECK(n == 3);
	CHECK(n == 3 && r[2].detail_len == 1 && r[2].detail[0] == '-');
	CHECK(n == 3 && r[0].detail_len == 5 && memcmp(r[0].detail, "org.A", 5) == 0);
	CHECK(n == 3 && r[1].frame_len == strlen(AN_OFFCPU_NO_APP));
	free(r);
	an_offcpu_free(a);
	a = attr(AN_EVENT_CPU);
	add(a, "org/Main.main", 2);	/* the leaf itself is the application frame */
	r = an_offcpu_rows(a, &n, &err);
	CHECK(n == 1 && r[0].detail_len == 7 && memcmp(r[0].detail, "running", 7) == 0);
	free(r);
	an_offcpu_free(a);
}

static void test_frame_totals(void)
{
	struct an_offcpu *a = attr(AN_EVENT_CPU);
	struct an_offcpu_frame *f;
	struct an_err err;
	size_t n;

	/* recursion counts once in the total; self goes to the last app frame */
	add(a, "[t tid=1];org/A.a;org/B.b;org/A.a;lib.x", 3);
	add(a, "[t tid=1];org/A.a;lib.y", 1);
	add(a, "lib.z", 2);
	f = an_offcpu_frames(a, &n, &err);
	CHECK(n == 3);
	CHECK(n == 3 && f[0].frame_len == 7 && memcmp(f[0].frame, "org/A.a", 7) == 0);
	CHECK(n == 3 && f[0].self == 4 && f[0].total == 4);
	CHECK(n == 3 && f[1].self == 0 && f[1].total == 3);
	CHECK(n == 3 && f[2].self == 2 && f[2].total == 2);
	CHECK(an_offcpu_kept(a) == 6);
	free(f);
	an_offcpu_free(a);
}

static void test_metric_pod(void)
{
	static const char tsv[] =
		"series\tvalue\tpeer_median\n"
		"namespace=x,pod=ab\t1\t2\n"
		"namespace=x\\,pod=abc,pod=abc\t3\t1\n"
		"pod=zero\t1\t0\n";
	struct an_diag_metric m;
	struct an_reader *r;
	struct an_err err;

	r = unit_reader(tsv, strlen(tsv), "o.tsv");
	CHECK(an_diag_metric_read(&m, r, "abc", &err) == AN_OK);
	CHECK(m.have && m.value == 3 && m.ratio == 3);
	an_reader_free(r);
	r = unit_reader(tsv, strlen(tsv), "o.tsv");
	CHECK(an_diag_metric_read(&m, r, "a", &err) == AN_OK && !m.have);
	an_reader_free(r);
	r = unit_reader(tsv, strlen(tsv), "o.tsv");
	CHECK(an_diag_metric_read(&m, r, "zero", &err) == AN_OK && isinf(m.ratio));
	an_reader_free(r);
	r = unit_reader(tsv, strlen(tsv), "o.tsv");
	CHECK(an_diag_metric_read(&m, r, NULL, &err) == AN_OK && m.ratio == 0.5);
	an_reader_free(r);
}

static void test_pod_names(void)
{
	static const char tsv[] = "hot\ttop\nshop-c\tshop-c\n";
	static const char bad[] = "hot\ttop\n\tx/y\n";
	struct an_reader *r;
	struct an_err err;
	char *pod;

	CHECK(an_diag_pod_valid("catalog-5d8b9c-g5h6i", 20));
	CHECK(an_diag_pod_valid("a.b_c", 5));
	CHECK(!an_diag_pod_valid("", 0));
	CHECK(!an_diag_pod_valid("..", 2));
	CHECK(!an_diag_pod_valid("-x", 2));
	CHECK(!an_diag_pod_valid("a/b", 3));
	CHECK(!an_diag_pod_valid("a\0b", 3));
	r = unit_reader(tsv, strlen(tsv), "h.tsv");
	CHECK(an_diag_pod_read(r, "top", &pod, &err) == AN_OK && strcmp(pod, "shop-c") == 0);
	free(pod);
	an_reader_free(r);
	r = unit_reader(bad, strlen(bad), "h.tsv");
	CHECK(an_diag_pod_read(r, "top", &pod, &err) == AN_EDATA && !pod);
	CHECK(strstr(err.msg, "'x/y' is not a pod name") != NULL);
	an_reader_free(r);
}

int main(void)
{
	RUN(test_states);
	RUN(test_appmatch);
	RUN(test_wall_threads);
	RUN(test_wait);
	RUN(test_lock_alloc_details);
	RUN(test_frame_totals);
	RUN(test_metric_pod);
	RUN(test_pod_names);
	return unit_done();
}
