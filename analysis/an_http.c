/*
 * an_http.c - libcurl requests with retries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "an_http.h"

struct an_http {
	struct an_http_opts o;
	CURL *curl;
	struct curl_slist *headers;
	char *user, *password;
	an_http_retry_fn retry;
	void *retry_ctx;
};

/* The first line of a secret file, without trailing whitespace. */
static int read_secret(const char *path, const char *what, char **out, struct an_err *err)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f)
		return an_err_sys(err, errno, "cannot open %s file '%s'", what, path);
	buf = malloc(AN_HTTP_SECRET_MAX + 1);
	if (!buf) {
		fclose(f);
		return an_err_set(err, AN_ESYS, "out of memory");
	}
	n = fread(buf, 1, AN_HTTP_SECRET_MAX + 1, f);
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		free(buf);
		return an_err_sys(err, e, "cannot read %s file '%s'", what, path);
	}
	fclose(f);
	if (n > AN_HTTP_SECRET_MAX) {
		free(buf);
		return an_err_set(err, AN_EDATA, "%s file '%s' is larger than %d bytes", what,
				  path, AN_HTTP_SECRET_MAX);
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		buf[--n] = '\0';
	if (n == 0) {
		free(buf);
		return an_err_set(err, AN_EDATA, "%s file '%s' is empty", what, path);
	}
	*out = buf;
	return AN_OK;
}

static int add_header(struct an_http *h, const char *line, struct an_err *err)
{
	struct curl_slist *l = curl_slist_append(h->headers, line);

	if (!l)
		return an_err_set(err, AN_ESYS, "out of memory");
	h->headers = l;
	return AN_OK;
}

static int auth_setup(struct an_http *h, struct an_err *err)
{
	char *secret, *line;
	int rc;

	if (h->o.bearer_token_file) {
		if ((rc = read_secret(h->o.bearer_token_file, "bearer token", &secret, err)))
			return rc;
		line = malloc(strlen(secret) + 32);
		if (line)
			sprintf(line, "Authorization: Bearer %s", secret);
		memset(secret, 0, strlen(secret));
		free(secret);
		if (!line)
			return an_err_set(err, AN_ESYS, "out of memory");
		rc = add_header(h, line, err);
		memset(line, 0, strlen(line));
		free(line);
		if (rc)
			return rc;
	}
	if (h->o.basic_auth_file) {
		char *colon;

		if ((rc = read_secret(h->o.basic_auth_file, "basic auth", &secret, err)))
			return rc;
		colon = strchr(secret, ':');
		if (!colon || colon == secret) {
			free(secret);
			return an_err_set(err, AN_EDATA,
					  "basic auth file '%s': expected user:password on its first line",
					  h->o.basic_auth_file);
		}
		*colon = '\0';
		h->user = secret;
		h->password = colon + 1;
	}
	return AN_OK;
}

int an_http_header_check(const char *hd, struct an_err *err)
{
	const char *c = strchr(hd, ':');
	char q[80];
	size_t n;

	n = strspn(hd, "!#$%&'*+-.^_`|~0123456789"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
	if (!c || c == hd || hd + n != c)
		return an_err_set(err, AN_EDATA, "a header is 'Name: value' with a name "
				  "of letters, digits and '-' (the value is not shown: it "
				  "may be a secret)");
	if (strpbrk(c, "\r\n"))
		return an_err_set(err, AN_EDATA, "header '%s': its value contains a line "
				  "break (CR or LF)",
				  an_err_quote(q, sizeof q, hd, (size_t)(c - hd)));
	return AN_OK;
}

int an_http_new(struct an_http **out, const struct an_http_opts *opts,
		an_http_retry_fn retry, void *retry_ctx, struct an_err *err)
{
	struct an_http *h;
	size_t i;
	int rc;

	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return an_err_set(err, AN_ESYS, "cannot initialise libcurl");
	h = calloc(1, sizeof *h);
	if (!h)
		return an_err_set(err, AN_ESYS, "out of memory");
	h->o = *opts;
	h->retry = retry;
	h->retry_ctx = retry_ctx;
	for (i = 0; i < opts->nheaders; i++) {
		if ((rc = an_http_header_check(opts->headers[i], err)) != AN_OK) {
			an_http_free(h);
			return rc;
		}
		if ((rc = add_header(h, opts->headers[i], err))) {
			an_http_free(h);
			return rc;
		}
	}
	if ((rc = auth_setup(h, err)) != AN_OK) {
		an_http_free(h);
		return rc;
	}
	h->curl = curl_easy_init();
	if (!h->curl) {
		an_http_free(h);
		return an_err_set(err, AN_ESYS, "cannot initialise libcurl");
	}
	*out = h;
	return AN_OK;
}

void an_http_free(struct an_http *h)
{
	if (!h)
		return;
	if (h->curl)
		curl_easy_cleanup(h->curl);
	if (h->headers) {
		struct curl_slist *l;

		for (l = h->headers; l; l = l->next)
			memset(l->data, 0, strlen(l->data));
		curl_slist_free_all(h->headers);
	}
	if (h->user) {
		memset(h->user, 0, strlen(h->user) + 1 + strlen(h->password));
		free(h->user);
	}
	free(h);
}

char *an_http_form_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, (int)strlen(s)), *copy;

	if (!e)
		return NULL;
	copy = strdup(e);
	curl_free(e);
	return copy;
}

char *an_http_redact(char *out, size_t outsz, const char *url)
{
	CURLU *u = curl_url();
	char *s = NULL;

	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		snprintf(out, outsz, "%s", s);
	else
		snprintf(out, outsz, "(malformed URL)");
	curl_free(s);
	curl_url_cleanup(u);
	return out;
}

/* Where the body goes during one attempt. */
struct sink {
	FILE *f;
	uint64_t n, max;
	int too_big, io_errno;
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ctx)
{
	struct sink *s = ctx;
	size_t len = size * nmemb;

	if (s->max && len > s->max - s->n) {
		s->too_big = 1;
		return 0;
	}
	if (fwrite(p, 1, len, s->f) != len) {
		s->io_errno = errno ? errno : EIO;
		return 0;
	}
	s->n += len;
	return len;
}

static int sink_reset(struct sink *s, struct an_err *err)
{
	s->n = 0;
	s->too_big = s->io_errno = 0;
	rewind(s->f);
	if (ftruncate(fileno(s->f), 0) != 0)
		return an_err_sys(err, errno, "cannot truncate the response file");
	return AN_OK;
}

static void configure(struct an_http *h, const char *url, const char *form, struct sink *s,
		      char *errbuf)
{
	CURL *c = h->curl;
	const struct an_http_opts *o = &h->o;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, form);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
	if (o->user_agent)
		curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent);
	if (o->connect_timeout_ms)
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	if (o->timeout_ms)
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	if (o->max_bytes)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	if (h->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, h->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, h->password);
	}
	if (o->netrc || o->netrc_file)
		curl_easy_setopt(c, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	if (o->netrc_file)
		curl_easy_setopt(c, CURLOPT_NETRC_FILE, o->netrc_file);
	if (o->cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
	if (o->cert)
		curl_easy_setopt(c, CURLOPT_SSLCERT, o->cert);
	if (o->key)
		curl_easy_setopt(c, CURLOPT_SSLKEY, o->key);
	if (o->insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
}

static int retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT: case CURLE_OPERATION_TIMEDOUT: case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR: case CURLE_GOT_NOTHING: case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2: case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int an_http_post(struct an_http *h, const char *url, const char *form, FILE *body,
		 long *status, unsigned *attempts, struct an_err *err)
{
	struct sink s = { body, 0, h->o.max_bytes, 0, 0 };
	char errbuf[CURL_ERROR_SIZE], why[CURL_ERROR_SIZE + 32], shown[512];
	long wait = h->o.backoff_ms > 0 ? h->o.backoff_ms : 1;
	unsigned n;

	an_http_redact(shown, sizeof shown, url);
	for (n = 1;; n++) {
		CURLcode rc;
		curl_off_t after = -1;
		long next;
		int again;

		if (sink_reset(&s, err) != AN_OK)
			return AN_ESYS;
		errbuf[0] = '\0';
		configure(h, url, form, &s, errbuf);
		rc = curl_easy_perform(h->curl);
		*attempts = n;
		*status = 0;
		if (s.io_errno)
			return an_err_sys(err, s.io_errno, "cannot write the response of %s", shown);
		if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED)
			return an_err_set(err, AN_ESYS, "%s: response larger than the cap of %llu bytes",
					  shown, (unsigned long long)h->o.max_bytes);
		if (rc == CURLE_OK) {
			curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status);
			again = *status == 429 || *status >= 500;
			snprintf(why, sizeof why, "HTTP %ld", *status);
			curl_easy_getinfo(h->curl, CURLINFO_RETRY_AFTER, &after);
		} else {
			if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL)
				return an_err_set(err, AN_EDATA, "bad URL '%s': %s", shown,
						  errbuf[0] ? errbuf : curl_easy_strerror(rc));
			again = retryable(rc);
			snprintf(why, sizeof why, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		}
		if (!again || n > h->o.retries)
			break;
		next = after > 0 ? (long)(after > 86400 ? 86400 : after) * 1000 : wait;
		if (h->o.wait_max_ms > 0 && next > h->o.wait_max_ms)
			next = h->o.wait_max_ms;
		if (h->retry)
			h->retry(h->retry_ctx, n + 1, next, why);
		sleep_ms(next);
		if (wait < 3600000)
			wait *= 2;
	}
	if (fflush(body) != 0)
		return an_err_sys(err, errno, "cannot write the response of %s", shown);
	rewind(body);
	if (*status == 0)
		return an_err_set(err, AN_ESYS, "%s: %s (%u attempt%s)", shown, why, n,
				  n == 1 ? "" : "s");
	return AN_OK;
}
