#include "run.h"

#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tool.h"

extern char **environ;

/* 0 if `prog` is an executable (a path, or a name in PATH), else errno. */
static int find_program(const char *prog)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[4096];
	int err = ENOENT;

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 ? 0 : errno;
	for (p = path ? path : "/usr/bin:/bin"; ; p = end + 1) {
		const char *dir = p;
		int n, len;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		len = (int)(end - p);
		if (len == 0)	/* an empty entry is the current directory */
			dir = ".", len = 1;
		n = snprintf(buf, sizeof buf, "%.*s/%s", len, dir, prog);
		if (n > 0 && (size_t)n < sizeof buf) {
			if (access(buf, X_OK) == 0)
				return 0;
			if (errno == EACCES)
				err = EACCES;
		}
		if (!*end)
			return err;
	}
}

/*
 * The child's environment: ours with LC_ALL=C.UTF-8, so that gnuplot reads
 * a UTF-8 script as such (in the plain C locale it warns that it cannot
 * convert its degree sign) while numbers keep the '.' decimal point.
 */
static char **child_env(void)
{
	static char lc_all[] = "LC_ALL=C.UTF-8";
	size_t n = 0, k = 0, i;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof *env);
	if (!env)
		tool_die(EXIT_SYS, "out of memory");
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "LC_ALL=", 7) != 0)
			env[k++] = environ[i];
	env[k] = lc_all;
	return env;
}

void tool_run(const char *prog, int in_fd, int out_fd, const char *hint)
{
	posix_spawn_file_actions_t fa;
	char *argv[2], **env;
	pid_t pid;
	int rc, status;

	rc = find_program(prog);
	if (rc != 0)
		tool_die(EXIT_SYS, "cannot run '%s': %s%s", prog, strerror(rc), hint);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	argv[0] = (char *)prog;
	argv[1] = NULL;
	env = child_env();
	rc = posix_spawnp(&pid, prog, &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	if (rc != 0)
		tool_die(EXIT_SYS, "cannot run '%s': %s%s", prog, strerror(rc), hint);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			tool_die(EXIT_SYS, "waiting for '%s': %s", prog, strerror(errno));
	if (WIFSIGNALED(status))
		tool_die(EXIT_SYS, "'%s' was killed by signal %d", prog, WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		tool_die(EXIT_SYS, "'%s' failed with exit status %d", prog,
			 WEXITSTATUS(status));
}
