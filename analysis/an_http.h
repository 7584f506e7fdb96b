/*
 * an_http.h - HTTP requests with libcurl: authentication without secrets
 * on the command line, TLS options, timeouts, and bounded retries.
 *
 * A request is retried (at most opts.retries more times) on a connection
 * error, a timeout, a transfer cut short, HTTP 429 and HTTP 5xx; the wait
 * doubles from opts.backoff_ms, and a Retry-After header (seconds or an
 * HTTP date) is honoured, every wait capped at opts.wait_max_ms.  Proxies
 * come from the environment (http_proxy, https_proxy, no_proxy), as
 * libcurl does by default.  Redirects are not followed (credentials would
 * go along).  Secrets (token, password) are read from files, are sent
 * only in request headers, and never appear in an error message; URLs in
 * messages have any user:password removed.
 */
#ifndef AN_HTTP_H
#define AN_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "an_err.h"

/* Cap of a secret file (token, user:password). */
#define AN_HTTP_SECRET_MAX 65536

struct an_http_opts {
	const char *bearer_token_file;  /* "Authorization: Bearer <first line>" */
	const char *basic_auth_file;    /* first line "user:password" */
	int netrc;                      /* credentials from ~/.netrc ... */
	const char *netrc_file;         /* ... or from this file */
	const char *cacert, *cert, *key;
	int insecure;                   /* do not verify the server's certificate */
	const char *const *headers;     /* extra "Name: value" headers */
	size_t nheaders;
	long connect_timeout_ms;        /* 0: libcurl's default */
	long timeout_ms;                /* whole request, per attempt; 0: none */
	unsigned retries;               /* attempts after the first */
	long backoff_ms;                /* first wait between attempts */
	long wait_max_ms;               /* cap of any wait (Retry-After included) */
	uint64_t max_bytes;             /* cap of a response body; 0: none */
	const char *user_agent;
};

/* Called before each retry, for a progress message: attempt about to be
 * made (2, 3, ...), the wait before it and why (e.g. "HTTP 503"). */
typedef void (*an_http_retry_fn)(void *ctx, unsigned attempt, long wait_ms, const char *why);

struct an_http;

/*
 * Check an extra header: "Name: value", the name of token characters
 * (RFC 9110), the value without CR or LF (which would end the header and
 * smuggle another into the request).  Messages never show the value (it
 * may be a secret).  Returns AN_OK or AN_EDATA.  an_http_new checks every
 * header this way.
 */
int an_http_header_check(const char *header, struct an_err *err);

/*
 * A client; reads the secret files now.  opts is copied (its strings must
 * outlive the client).  Returns AN_OK; AN_ESYS if a file cannot be read or
 * libcurl cannot start; AN_EDATA for an empty or malformed secret file or
 * a header without ':'.  Free with an_http_free (NULL allowed).
 */
int an_http_new(struct an_http **out, const struct an_http_opts *opts,
		an_http_retry_fn retry, void *retry_ctx, struct an_err *err);
void an_http_free(struct an_http *h);

/*
 * POST the form `form` (application/x-www-form-urlencoded) to url and
 * write the response body into `body` (rewound and truncated before every
 * attempt; rewound again at the end).  On AN_OK the request completed and
 * *status holds the final HTTP status, whatever it is (2xx, or a 4xx/5xx
 * once retries are exhausted); *attempts the number of attempts made.
 * Returns AN_ESYS when no response could be had: "URL: WHAT (N attempts)";
 * AN_EDATA for a malformed URL.
 */
int an_http_post(struct an_http *h, const char *url, const char *form, FILE *body,
		 long *status, unsigned *attempts, struct an_err *err);

/* URL-encode s for a form (malloc'ed; NULL when out of memory). */
char *an_http_form_escape(const char *s);

/* url without user:password, for messages, into out (outsz bytes); returns out. */
char *an_http_redact(char *out, size_t outsz, const char *url);

#endif
