/* an_state.c - the state of a wall-clock sample below its application frame. */
#include <string.h>

#include "an_collapsed.h"
#include "an_state.h"

static const char *const state_names[] = { "running", "monitor", "park", "sleep", "io" };

const char *an_state_name(enum an_state s)
{
	return state_names[s];
}

/* Rules: a frame equal to `name`, or starting with it when it ends in
 * '.' or '/' or '_' (a class, a package, a family of C functions). */
struct rule {
	const char *name;
	enum an_state state;
};

static const struct rule rules[] = {
	{ "java/lang/Thread.sleep", AN_STATE_SLEEP },
	{ "java/lang/Thread.sleep0", AN_STATE_SLEEP },
	{ "java/lang/Thread.sleepNanos", AN_STATE_SLEEP },
	{ "java/util/concurrent/TimeUnit.sleep", AN_STATE_SLEEP },
	{ "JVM_Sleep", AN_STATE_SLEEP },
	{ "ObjectMonitor::enter", AN_STATE_MONITOR },
	{ "ObjectMonitor::EnterI", AN_STATE_MONITOR },
	{ "ObjectSynchronizer::enter", AN_STATE_MONITOR },
	{ "ObjectSynchronizer::slow_enter", AN_STATE_MONITOR },
	{ "InterpreterRuntime::monitorenter", AN_STATE_MONITOR },
	{ "SharedRuntime::complete_monitor_locking_C", AN_STATE_MONITOR },
	{ "_complete_monitor_locking_Java", AN_STATE_MONITOR },
	{ "Runtime1::monitorenter", AN_STATE_MONITOR },
	{ "java/lang/Object.wait", AN_STATE_PARK },
	{ "java/lang/Object.wait0", AN_STATE_PARK },
	{ "JVM_MonitorWait", AN_STATE_PARK },
	{ "java/util/concurrent/locks/LockSupport.", AN_STATE_PARK },
	{ "jdk/internal/misc/Unsafe.park", AN_STATE_PARK },
	{ "sun/misc/Unsafe.park", AN_STATE_PARK },
	{ "Unsafe_Park", AN_STATE_PARK },
	{ "java/net/Socket.", AN_STATE_IO },
	{ "java/net/SocketInputStream.", AN_STATE_IO },
	{ "java/net/SocketOutputStream.", AN_STATE_IO },
	{ "java/net/ServerSocket.accept", AN_STATE_IO },
	{ "java/net/PlainSocketImpl.", AN_STATE_IO },
	{ "java/net/DatagramSocket.", AN_STATE_IO },
	{ "sun/nio/ch/NioSocketImpl.", AN_STATE_IO },
	{ "sun/nio/ch/SocketDispatcher.", AN_STATE_IO },
	{ "sun/nio/ch/SocketChannelImpl.read", AN_STATE_IO },
	{ "sun/nio/ch/SocketChannelImpl.write", AN_STATE_IO },
	{ "sun/nio/ch/SocketChannelImpl.connect", AN_STATE_IO },
	{ "sun/nio/ch/ServerSocketChannelImpl.accept", AN_STATE_IO },
	{ "sun/nio/ch/FileDispatcherImpl.", AN_STATE_IO },
	{ "sun/nio/ch/FileChannelImpl.read", AN_STATE_IO },
	{ "sun/nio/ch/FileChannelImpl.write", AN_STATE_IO },
	{ "sun/nio/ch/FileChannelImpl.force", AN_STATE_IO },
	{ "sun/nio/ch/Net.poll", AN_STATE_IO },
	{ "sun/nio/ch/Net.connect", AN_STATE_IO },
	{ "sun/nio/ch/SelectorImpl.select", AN_STATE_IO },
	{ "java/io/FileInputStream.read", AN_STATE_IO },
	{ "java/io/FileOutputStream.write", AN_STATE_IO },
	{ "java/io/RandomAccessFile.read", AN_STATE_IO },
	{ "java/io/RandomAccessFile.write", AN_STATE_IO },
	{ "java/io/FileDescriptor.sync", AN_STATE_IO },
	{ "read", AN_STATE_IO },
	{ "write", AN_STATE_IO },
	{ "__libc_read", AN_STATE_IO },
	{ "__libc_write", AN_STATE_IO },
	{ "recv", AN_STATE_IO },
	{ "__libc_recv", AN_STATE_IO },
	{ "send", AN_STATE_IO },
	{ "__libc_send", AN_STATE_IO },
	{ "poll", AN_STATE_IO },
	{ "__GI___poll", AN_STATE_IO },
	{ "epoll_wait", AN_STATE_IO },
	{ "accept", AN_STATE_IO },
	{ "fsync", AN_STATE_IO },
	{ "fdatasync", AN_STATE_IO },
};

static int rule_matches(const char *name, const char *f, size_t len)
{
	size_t n = strlen(name);
	char last = name[n - 1];

	if (last == '.' || last == '/' || last == '_')
		return len >= n && memcmp(f, name, n) == 0;
	return len == n && memcmp(f, name, n) == 0;
}

enum an_state an_state_of(const char *frames, size_t len)
{
	size_t pos = 0, i;
	const char *f;
	size_t flen;

	while (an_stack_next_frame(frames, len, &pos, &f, &flen))
		for (i = 0; i < sizeof rules / sizeof *rules; i++)
			if (rule_matches(rules[i].name, f, flen))
				return rules[i].state;
	return AN_STATE_RUNNING;
}
