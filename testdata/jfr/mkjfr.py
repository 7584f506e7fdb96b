#!/usr/bin/env python3
"""Write the small synthetic JFR recordings of the tests (good and bad ones).

usage: mkjfr.py DIR     (run from anywhere; the files are committed)

Each file is a hand-built chunk: header, metadata (type descriptors),
one checkpoint with the constant pools, and a few events; the bad ones
break exactly one thing.
"""
import os
import struct
import sys


def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    for _ in range(8):
        if v < 0x80:
            out.append(v)
            return bytes(out)
        out.append((v & 0x7f) | 0x80)
        v >>= 7
    out.append(v & 0xff)
    return bytes(out)


def utf8(s):
    b = s.encode()
    return b"\x03" + varint(len(b)) + b


def event(type_id, payload, size_override=None):
    body = varint(type_id) + payload
    # size includes its own varint: find a stable length
    n = len(body) + 1
    while len(varint(n)) + len(body) != n:
        n = len(varint(n)) + len(body)
    return varint(size_override if size_override is not None else n) + body


# type ids
T_LONG, T_INT, T_BOOL, T_STRING = 1, 2, 3, 4
T_THREAD, T_SYMBOL, T_CLASS, T_METHOD = 10, 11, 12, 13
T_FTYPE, T_FRAME, T_STACK, T_STATE = 14, 15, 16, 17
T_EXEC, T_MONITOR, T_ALLOC = 100, 101, 102


def classes(opts):
    f = lambda name, cls, cp=False, dim=False: (name, cls, cp, dim)
    cl = [
        ("long", T_LONG, []), ("int", T_INT, []), ("boolean", T_BOOL, []),
        ("java.lang.String", T_STRING, []),
        ("java.lang.Thread", T_THREAD, [f("osName", T_STRING), f("osThreadId", T_LONG),
                                        f("javaName", T_STRING), f("javaThreadId", T_LONG)]),
        ("jdk.types.Symbol", T_SYMBOL, [f("string", T_STRING)]),
        ("java.lang.Class", T_CLASS, [f("name", T_SYMBOL, True)]),
        ("jdk.types.Method", T_METHOD, [f("type", T_CLASS, True), f("name", T_SYMBOL, True)]),
        ("jdk.types.FrameType", T_FTYPE, [f("description", T_STRING)]),
        ("jdk.types.StackFrame", T_FRAME, [f("method", T_METHOD, True), f("lineNumber", T_INT),
                                           f("bytecodeIndex", T_INT), f("type", T_FTYPE, True)]),
        ("jdk.types.StackTrace", T_STACK, [f("truncated", T_BOOL),
                                           f("frames", T_FRAME, False, True)]),
        ("jdk.types.ThreadState", T_STATE, [f("name", T_STRING)]),
        ("jdk.ExecutionSample", T_EXEC, [f("startTime", T_LONG), f("sampledThread", T_THREAD, True),
                                         f("stackTrace", T_STACK, True), f("state", T_STATE, True)]),
        ("jdk.JavaMonitorEnter", T_MONITOR, [f("startTime", T_LONG), f("duration", T_LONG),
                                             f("eventThread", T_THREAD, True),
                                             f("stackTrace", T_STACK, True)]),
        ("jdk.ObjectAllocationOutsideTLAB", T_ALLOC, [f("startTime", T_LONG),
                                                      f("eventThread", T_THREAD, True),
                                                      f("stackTrace", T_STACK, True),
                                                      f("objectClass", T_CLASS, True),
                                                      f("allocationSize", T_LONG)]),
    ]
    if opts.get("cyclic_type"):
        cl.append(("example.Loop", 200, [f("next", 200)]))
        cl[12] = ("jdk.ExecutionSample", T_EXEC, [f("loop", 200)] + cl[12][2])
    if opts.get("unknown_field_type"):
        cl[12] = ("jdk.ExecutionSample", T_EXEC, cl[12][2] + [f("x", 999)])
    return cl


def metadata(opts):
    strings = []
    idx = {}

    def s(x):
        if x not in idx:
            idx[x] = len(strings)
            strings.append(x)
        return idx[x]

    def elem(name, attrs, children):
        out = varint(s(name)) + varint(len(attrs))
        for k, v in attrs:
            out += varint(s(k)) + varint(s(v))
        out += varint(len(children)) + b"".join(children)
        return out

    cls_elems = []
    for name, tid, fields in classes(opts):
        fe = []
        for fname, ftype, cp, dim in fields:
            a = [("name", fname), ("class", str(ftype))]
            if cp:
                a.append(("constantPool", "true"))
            if dim:
                a.append(("dimension", "1"))
            fe.append(elem("field", a, []))
        sup = [("superType", "jdk.jfr.Event")] if name.startswith("jdk.") and tid >= 100 else []
        cls_elems.append(elem("class", [("name", name), ("id", str(tid))] + sup, fe))
    root = elem("root", [], [elem("metadata", [], cls_elems),
                             elem("region", [("locale", "en_US")], [])])
    table = varint(len(strings) + opts.get("extra_strings", 0))
    for x in strings:
        table += utf8(x)
    if opts.get("bad_string_index"):
        # first element name points past the table
        root = varint(len(strings) + 5) + root[1:]
    payload = varint(0) + varint(0) + varint(1) + table + root
    return event(0, payload)


FRAMES = [  # (class, method, type) leaf first
    ("org/example/Search", "tokenize", "JIT compiled"),
    ("org/example/Search", "find", "Inlined"),
    ("java/lang/Thread", "run", "Interpreted"),
]


def pools(opts):
    out = b""
    npools = 0

    def pool(tid, entries):
        return varint(tid) + varint(len(entries)) + b"".join(varint(k) + v for k, v in entries)

    hostile = opts.get("hostile")
    tname = "worker\t1\\x" if hostile else "worker-1"
    out += pool(T_THREAD, [(7, utf8(tname) + varint(4242) + utf8(tname) + varint(21)),
                           (8, utf8("GC Thread#0") + varint(4243) + b"\x00" + varint(0))])
    syms = [(1, "org/example/Search"), (2, "tokenize"), (3, "find"), (4, "java/lang/Thread"),
            (5, "run"), (6, "libc.so.6"), (7, "__futex_wait"), (8, "new\nline;x" if hostile else "other")]
    if opts.get("cyclic_pool"):
        out += pool(T_STRING, [(1, b"\x02" + varint(1))])
        syms[0] = (1, None)
        npools += 1
    out += pool(T_SYMBOL, [(k, (b"\x02" + varint(1)) if v is None else utf8(v)) for k, v in syms])
    out += pool(T_CLASS, [(1, varint(1)), (2, varint(4)), (3, varint(6))])
    out += pool(T_METHOD, [(1, varint(1) + varint(2)), (2, varint(1) + varint(3)),
                           (3, varint(2) + varint(5)), (4, varint(3) + varint(7)),
                           (5, varint(1) + varint(8))])
    out += pool(T_FTYPE, [(1, utf8("JIT compiled")), (2, utf8("Inlined")),
                          (3, utf8("Interpreted")), (4, utf8("Native"))])

    def stack(frames):
        b = b"\x00" + varint(len(frames))
        for m, t in frames:
            b += varint(m) + varint(0) + varint(0) + varint(t)
        return b
    stacks = [(1, stack([(1, 1), (2, 2), (3, 3)])), (2, stack([(2, 1), (3, 3)])),
              (3, stack([(4, 4), (3, 3)])), (4, stack([(5, 1), (3, 3)]))]
    if opts.get("absurd_array"):
        stacks[0] = (1, b"\x00" + varint(0x7fffffff))
    out += pool(T_STACK, stacks)
    out += pool(T_STATE, [(1, utf8("STATE_RUNNABLE")), (2, utf8("STATE_SLEEPING"))])
    npools += 7
    return varint(npools) + out


def chunk(opts=None, start_s=1796131688):
    opts = opts or {}
    tps = 1000000000
    start_ns = start_s * 1000000000
    start_ticks = 5000
    meta = metadata(opts)
    evs = b""

    def t(ms):
        return varint(start_ticks + ms * 1000000)
    stack_ref = 99 if opts.get("dangling") else 1
    samples = [(100, 7, stack_ref, 1), (250, 7, 2, 1), (1500, 8, 3, 2), (2600, 7, 1, 1),
               (40500, 7, 1, 1)]
    if opts.get("hostile"):
        samples.append((300, 7, 4, 1))
    if not opts.get("empty"):
        for ms, th, st, state in samples:
            extra = varint(0) if opts.get("cyclic_type") else b""
            evs += event(T_EXEC, extra + t(ms) + varint(th) + varint(st) + varint(state))
        evs += event(T_MONITOR, t(700) + varint(20000000) + varint(7) + varint(2))
        evs += event(T_MONITOR, t(2100) + varint(5000) + varint(8) + varint(2))
        evs += event(T_ALLOC, t(800) + varint(7) + varint(1) + varint(1) + varint(4096))
        evs += event(555, b"\x01\x02\x03")  # a type the metadata does not declare
    if opts.get("zero_event"):
        evs += b"\x00"
    if opts.get("event_past_end"):
        evs += event(T_EXEC, t(1), size_override=5000)
    if opts.get("varint_overflow"):
        evs += b"\xff" * 8 + b"\x7f"
    if opts.get("bad_string"):
        evs += b""
    body_off = 68
    meta_off = body_off
    events_off = meta_off + len(meta)
    cp_off = events_off + len(evs)
    cp_payload = varint(0) + varint(0) + varint(0 if not opts.get("cyclic_cp") else 0) + b"\x00" + pools(opts)
    cp = event(1, cp_payload)
    if opts.get("cyclic_cp"):
        # delta to itself is 0 (end); make it point back and forth
        cp_payload = varint(0) + varint(0) + varint(0) + b"\x00" + pools(opts)
        cp = event(1, cp_payload)
    if opts.get("bad_encoding"):
        cp = event(1, varint(0) + varint(0) + varint(0) + b"\x00" + varint(1) + varint(T_STRING)
                   + varint(1) + varint(1) + b"\x09")
    body = meta + evs + cp
    size = 68 + len(body)
    major = opts.get("major", 2)
    hdr = b"FLR\x00" + struct.pack(">HH", major, 0)
    hdr += struct.pack(">qqqqqqq", opts.get("size", size),
                       opts.get("cp_off", cp_off), opts.get("meta_off", meta_off),
                       start_ns, 3000000000, start_ticks, tps)
    hdr += struct.pack(">I", 1)
    data = bytearray(hdr + body)
    if opts.get("cyclic_cp"):
        # rewrite as two checkpoints pointing at each other: A -> B -> A
        data = bytearray(hdr + meta + evs)
        a_off = len(data)
        payload_a = varint(0) + varint(0)
        cp_a_rest = b"\x00" + varint(0)
        # A: delta +X to B, B: delta -X to A; fixed-size varints via 9-byte form
        def fixed(v):
            v &= (1 << 64) - 1
            return bytes([(v >> (7 * i) & 0x7f) | 0x80 for i in range(8)]) + bytes([v >> 56 & 0xff])
        def cpev(delta):
            return event(1, payload_a + fixed(delta) + cp_a_rest)
        la = len(cpev(0))
        data += cpev(la) + cpev(-la)
        size = len(data)
        struct.pack_into(">q", data, 8, size)
        struct.pack_into(">q", data, 16, a_off)
    return bytes(data)


def main():
    d = sys.argv[1]
    os.makedirs(os.path.join(d, "bad"), exist_ok=True)

    def w(name, data):
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(data)
    good = chunk()
    w("small.jfr", good)
    w("two_chunks.jfr", good + chunk(start_s=1796131700))
    w("empty_events.jfr", chunk({"empty": True}))
    w("hostile.jfr", chunk({"hostile": True}))
    w("bad/bad_magic.jfr", b"FLX\x00" + good[4:])
    w("bad/not_jfr_short.jfr", b"FL")
    w("bad/unsupported_version.jfr", chunk({"major": 3}))
    w("bad/truncated_header.jfr", good[:40])
    w("bad/truncated_chunk.jfr", good + chunk(start_s=1796131700)[:300])
    w("bad/chunk_size_zero.jfr", chunk({"size": 0}))
    w("bad/chunk_size_small.jfr", chunk({"size": 20}))
    w("bad/chunk_size_absurd.jfr", chunk({"size": 1 << 62}))
    w("bad/metadata_offset_outside.jfr", chunk({"meta_off": 1 << 40}))
    w("bad/metadata_not_metadata.jfr", chunk({"meta_off": 68 + len(metadata({}))}))
    w("bad/cp_offset_outside.jfr", chunk({"cp_off": 1 << 40}))
    w("bad/pool_ref_to_nothing.jfr", chunk({"dangling": True}))
    w("bad/cyclic_checkpoints.jfr", chunk({"cyclic_cp": True}))
    w("bad/cyclic_type.jfr", chunk({"cyclic_type": True}))
    w("bad/cyclic_pool_string.jfr", chunk({"cyclic_pool": True}))
    w("bad/unknown_field_type.jfr", chunk({"unknown_field_type": True}))
    w("bad/metadata_string_index.jfr", chunk({"bad_string_index": True}))
    w("bad/event_size_zero.jfr", chunk({"zero_event": True}))
    w("bad/event_past_chunk_end.jfr", chunk({"event_past_end": True}))
    w("bad/varint_overflow.jfr", chunk({"varint_overflow": True}))
    w("bad/absurd_frame_count.jfr", chunk({"absurd_array": True}))
    w("bad/bad_string_encoding.jfr", chunk({"bad_encoding": True}))
    w("bad/empty.jfr", b"")


main()
