/*
 * libpaneld: the wire (framing, requests, events, the fd exchange) of PROTOCOL.md, version 1.
 * One connection per paneld_client; every request waits for its reply, events read meanwhile
 * are queued. See paneld.h for the contract and the threading rules.
 */
#define _GNU_SOURCE 1
#include "paneld.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif
#ifndef MSG_CMSG_CLOEXEC
#define MSG_CMSG_CLOEXEC 0
#endif

enum {
    T_HELLO = 0x0001, T_LIST = 0x0002, T_INFO = 0x0003, T_OPEN = 0x0004, T_CLOSE = 0x0005, T_CREATE = 0x0006,
    T_DESTROY = 0x0007, T_WRITE = 0x0008, T_FLUSH = 0x0009, T_FLIP = 0x000A, T_SETPROP = 0x000B,
    T_SUBSCRIBE = 0x000C, T_ACQUIRE = 0x000D, T_RELEASE = 0x000E, T_FD_READY = 0x000F,
    T_FD_RECEIVED = 0x0010, T_ADMIN_BIND = 0x0021, T_ADMIN_UNBIND = 0x0022, T_ADMIN_UNPLUG = 0x0023,
    T_ADMIN_REPLUG = 0x0024, T_ADMIN_SNAPSHOT = 0x0025, T_ADMIN_TOUCH = 0x0026,
    T_ADMIN_CALIBRATE = 0x0027, T_REPLY = 0x8000, T_ERROR = 0x7FFF
};

#define MAGIC 0x444C4E50u
#define EVENT_QUEUE 256
#define MSG_LEN 256
#define PANELD_MAX_IN_FLIGHT 16
#define SERVER_MAX_FRAME (64u * 1024u * 1024u + 64u)

struct paneld_client {
    int fd;
    int tcp;
    uint32_t next_id;
    uint32_t server_flags;
    uint32_t max_frame, max_rects;
    paneld_session *sessions;
    /* read side: buffered bytes, then the current frame's payload */
    unsigned char rbuf[65536];
    size_t rpos, rlen;
    unsigned char *payload;
    size_t payload_cap;
    /* events read while waiting for replies */
    paneld_event events[EVENT_QUEUE];
    int ev_head, ev_count;
    /* scratch for requests */
    unsigned char *wbuf;
    size_t wbuf_cap;
    /* requests sent by paneld_flush_async whose answers have not all come */
    struct pending {
        uint32_t first, last; /* the request ids of the group (WRITEs then the FLUSH) */
        uint32_t left;        /* answers still to come */
        int used;             /* from paneld_flush_async to paneld_wait */
        int result;           /* the first error among the answers, or 0 */
        char msg[MSG_LEN];
    } pending[PANELD_MAX_IN_FLIGHT];
    int touch_abi; /* the program subscribed to touch once: it knows paneld_event.touch (1.1 header) */
    int broken; /* the stream is out of step or closed: every call fails */
    int err;
    char msg[MSG_LEN];
};

/* a frame as read: type, id, payload (valid until the next read) */
typedef struct {
    uint16_t type;
    uint32_t id;
    const unsigned char *p;
    size_t n;
} frame;

#if defined(__GNUC__) || defined(__clang__)
static __thread char connect_msg[MSG_LEN];
static __thread int connect_err;
#else
static char connect_msg[MSG_LEN]; /* without thread-local storage: one message for all threads */
static int connect_err;
#endif

/* ------------------------------------------------------------------ errors */

static int fail(paneld_client *c, int code, const char *fmt, ...) {
    va_list ap;
    char *dst = c ? c->msg : connect_msg;
    va_start(ap, fmt);
    vsnprintf(dst, MSG_LEN, fmt, ap);
    va_end(ap);
    if (c) {
        c->err = -code;
    } else {
        connect_err = -code;
    }
    return -code;
}

const char *paneld_errmsg(const paneld_client *c) {
    return c ? c->msg : connect_msg;
}

int paneld_errcode(const paneld_client *c) {
    return c ? c->err : connect_err;
}

const char *paneld_strerror(int code) {
    if (code < 0) {
        code = -code;
    }
    switch (code) {
    case 0: return "OK";
    case ENOENT: return "ENOENT: no such device or property";
    case EIO: return "EIO: hardware transfer failed";
    case EBADF: return "EBADF: unknown session or buffer handle";
    case ENOMEM: return "ENOMEM: out of buffer memory";
    case EACCES: return "EACCES: refused by policy";
    case EBUSY: return "EBUSY: another session owns the display, or a limit is reached";
    case ENODEV: return "ENODEV: the device is gone (unplugged or unbound)";
    case EINVAL: return "EINVAL: invalid argument";
    case EPROTO: return "EPROTO: protocol error (connection closed)";
    case EMSGSIZE: return "EMSGSIZE: frame too large (connection closed)";
    case EOPNOTSUPP: return "EOPNOTSUPP: not supported on this connection";
    case ETIMEDOUT: return "ETIMEDOUT: timed out";
    case ECONNRESET: return "ECONNRESET: paneld closed the connection";
    case ECONNREFUSED: return "ECONNREFUSED: no paneld listens there";
    default: return "error (see paneld_errmsg)";
    }
}

/* ------------------------------------------------------------------ little-endian helpers */

static void put16(unsigned char *p, uint16_t v) { p[0] = (unsigned char) v; p[1] = (unsigned char) (v >> 8); }
static void put32(unsigned char *p, uint32_t v) { put16(p, (uint16_t) v); put16(p + 2, (uint16_t) (v >> 16)); }
static void put64(unsigned char *p, uint64_t v) { put32(p, (uint32_t) v); put32(p + 4, (uint32_t) (v >> 32)); }
static uint16_t get16(const unsigned char *p) { return (uint16_t) (p[0] | p[1] << 8); }
static uint32_t get32(const unsigned char *p) { return (uint32_t) get16(p) | (uint32_t) get16(p + 2) << 16; }
static uint64_t get64(const unsigned char *p) { return (uint64_t) get32(p) | (uint64_t) get32(p + 4) << 32; }

/* a cursor over a payload; any short read sets bad */
typedef struct {
    const unsigned char *p;
    size_t n, off;
    int bad;
} cursor;

static uint32_t rd32(cursor *k) {
    if (k->bad || k->n - k->off < 4) { k->bad = 1; return 0; }
    k->off += 4;
    return get32(k->p + k->off - 4);
}

static uint16_t rd16(cursor *k) {
    if (k->bad || k->n - k->off < 2) { k->bad = 1; return 0; }
    k->off += 2;
    return get16(k->p + k->off - 2);
}

static uint64_t rd64(cursor *k) {
    if (k->bad || k->n - k->off < 8) { k->bad = 1; return 0; }
    k->off += 8;
    return get64(k->p + k->off - 8);
}

/* a str into dst (cut to cap-1 bytes, NUL-terminated) */
static void rdstr(cursor *k, char *dst, size_t cap) {
    uint16_t len = rd16(k);
    if (k->bad || k->n - k->off < len) { k->bad = 1; dst[0] = 0; return; }
    size_t m = len < cap - 1 ? len : cap - 1;
    memcpy(dst, k->p + k->off, m);
    dst[m] = 0;
    k->off += len;
}

/* ------------------------------------------------------------------ writing */

static unsigned char *scratch(paneld_client *c, size_t n) {
    if (n > c->wbuf_cap) {
        size_t cap = n < 4096 ? 4096 : n;
        unsigned char *p = realloc(c->wbuf, cap);
        if (!p) return NULL;
        c->wbuf = p;
        c->wbuf_cap = cap;
    }
    return c->wbuf;
}

static int send_all(paneld_client *c, const struct iovec *iov0, int iovcnt) {
    struct iovec iov[4];
    memcpy(iov, iov0, sizeof(struct iovec) * (size_t) iovcnt);
    int i = 0;
    while (i < iovcnt) {
        struct msghdr m;
        memset(&m, 0, sizeof m);
        m.msg_iov = iov + i;
        m.msg_iovlen = (size_t) (iovcnt - i);
        ssize_t w = sendmsg(c->fd, &m, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            c->broken = 1;
            return fail(c, e == EPIPE ? ECONNRESET : e, "writing to paneld: %s", strerror(e));
        }
        size_t left = (size_t) w;
        while (i < iovcnt && left >= iov[i].iov_len) {
            left -= iov[i].iov_len;
            i++;
        }
        if (i < iovcnt) {
            iov[i].iov_base = (char *) iov[i].iov_base + left;
            iov[i].iov_len -= left;
        }
    }
    return 0;
}

/* sends one frame (payload in up to two pieces); returns its id, or a negative errno */
static long send_frame2(paneld_client *c, uint16_t type, const void *p1, size_t n1, const void *p2, size_t n2) {
    if (c->broken) return fail(c, ECONNRESET, "the connection to paneld is closed: %s", c->msg);
    unsigned char h[12];
    uint32_t id = c->next_id++;
    if (c->next_id == 0) c->next_id = 1;
    put32(h, (uint32_t) (8 + n1 + n2));
    put16(h + 4, type);
    put16(h + 6, 0);
    put32(h + 8, id);
    struct iovec iov[3] = {{h, 12}, {(void *) p1, n1}, {(void *) p2, n2}};
    int r = send_all(c, iov, n2 ? 3 : (n1 ? 2 : 1));
    return r < 0 ? r : (long) id;
}

static long send_frame(paneld_client *c, uint16_t type, const void *p, size_t n) {
    return send_frame2(c, type, p, n, NULL, 0);
}

/* ------------------------------------------------------------------ reading */

static int fill(paneld_client *c) {
    if (c->rpos == c->rlen) c->rpos = c->rlen = 0;
    for (;;) {
        ssize_t r = recv(c->fd, c->rbuf + c->rlen, sizeof c->rbuf - c->rlen, 0);
        if (r > 0) { c->rlen += (size_t) r; return 0; }
        if (r < 0 && errno == EINTR) continue;
        int e = r == 0 ? ECONNRESET : errno;
        c->broken = 1;
        if (r == 0) return fail(c, ECONNRESET, "paneld closed the connection");
        return fail(c, e, "reading from paneld: %s", strerror(e));
    }
}

static int read_exact(paneld_client *c, unsigned char *dst, size_t n) {
    while (n > 0) {
        if (c->rpos == c->rlen) {
            if (n >= sizeof c->rbuf) { /* large payloads straight into place */
                ssize_t r = recv(c->fd, dst, n, 0);
                if (r > 0) { dst += r; n -= (size_t) r; continue; }
                if (r < 0 && errno == EINTR) continue;
                c->broken = 1;
                if (r == 0) return fail(c, ECONNRESET, "paneld closed the connection in the middle of a frame");
                return fail(c, errno, "reading from paneld: %s", strerror(errno));
            }
            int e = fill(c);
            if (e < 0) return e;
        }
        size_t m = c->rlen - c->rpos < n ? c->rlen - c->rpos : n;
        memcpy(dst, c->rbuf + c->rpos, m);
        c->rpos += m;
        dst += m;
        n -= m;
    }
    return 0;
}

static void release_payload(paneld_client *c) {
    if (c->payload_cap > (1u << 20)) { /* a snapshot: do not keep megabytes around */
        free(c->payload);
        c->payload = NULL;
        c->payload_cap = 0;
    }
}

static int read_frame(paneld_client *c, frame *f) {
    unsigned char h[12];
    if (c->broken) return fail(c, ECONNRESET, "the connection to paneld is closed: %s", c->msg);
    int e = read_exact(c, h, 12);
    if (e < 0) return e;
    uint32_t len = get32(h);
    if (len < 8 || len > SERVER_MAX_FRAME) {
        c->broken = 1;
        return fail(c, EPROTO, "paneld sent a frame of length %u (type 0x%04x): out of step", len, get16(h + 4));
    }
    size_t n = len - 8;
    if (n > c->payload_cap) {
        unsigned char *p = realloc(c->payload, n);
        if (!p) {
            c->broken = 1;
            return fail(c, ENOMEM, "no memory for a frame of %zu bytes", n);
        }
        c->payload = p;
        c->payload_cap = n;
    }
    e = read_exact(c, c->payload, n);
    if (e < 0) return e;
    f->type = get16(h + 4);
    f->id = get32(h + 8);
    f->p = c->payload;
    f->n = n;
    return 0;
}

static paneld_session *find_session(paneld_client *c, uint32_t handle) {
    for (paneld_session *s = c->sessions; s; s = s->next) {
        if (s->handle == handle) return s;
    }
    return NULL;
}

static int errno_of(uint32_t code) {
    switch (code) {
    case 2: return ENOENT; case 5: return EIO; case 9: return EBADF; case 12: return ENOMEM;
    case 13: return EACCES; case 16: return EBUSY; case 19: return ENODEV; case 22: return EINVAL;
    case 71: return EPROTO; case 90: return EMSGSIZE; case 95: return EOPNOTSUPP; case 110: return ETIMEDOUT;
    default: return EIO; /* unknown codes are EIO (PROTOCOL.md section 3) */
    }
}

/* an id-0 frame: an event, or a connection-level ERROR */
static int take_event(paneld_client *c, const frame *f) {
    cursor k = {f->p, f->n, 0, 0};
    if (f->type == T_ERROR) {
        uint32_t code = rd32(&k);
        rd16(&k);
        rd16(&k);
        char m[200];
        rdstr(&k, m, sizeof m);
        int e = errno_of(code);
        if (e == EPROTO || e == EMSGSIZE || e == ETIMEDOUT || e == ENOMEM || e == EBUSY) c->broken = 1;
        return fail(c, e, "paneld: %s", m);
    }
    paneld_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = f->type;
    switch (f->type) {
    case PANELD_EV_DEVICE_ADDED:
    case PANELD_EV_DEVICE_REMOVED:
    case PANELD_EV_SHUTDOWN:
        rdstr(&k, ev.text, sizeof ev.text);
        break;
    case PANELD_EV_UNPLUGGED:
        ev.session_handle = rd32(&k);
        rdstr(&k, ev.text, sizeof ev.text);
        break;
    case PANELD_EV_FLIP_COMPLETE:
        ev.session_handle = rd32(&k);
        ev.buffer_handle = rd32(&k);
        ev.flip_id = rd32(&k);
        {
            uint32_t code = rd32(&k);
            ev.error = code ? -errno_of(code) : 0;
        }
        break;
    case PANELD_EV_OWNERSHIP:
        ev.session_handle = rd32(&k);
        ev.owner = rd32(&k);
        break;
    case PANELD_EV_TOUCH: /* 36 bytes; a longer payload (fields of a newer paneld) is read as far as known */
        if (f->n < 36) {
            c->broken = 1;
            return fail(c, EPROTO, "paneld sent a short TOUCH event (0x4007): %zu bytes, 36 expected", f->n);
        }
        ev.session_handle = rd32(&k);
        ev.touch.kind = rd16(&k);
        ev.touch.slot = rd16(&k);
        ev.touch.x = (int32_t) rd32(&k);
        ev.touch.y = (int32_t) rd32(&k);
        ev.touch.raw_x = (int32_t) rd32(&k);
        ev.touch.raw_y = (int32_t) rd32(&k);
        ev.touch.pressure = rd16(&k);
        ev.touch.flags = rd16(&k);
        ev.touch.timestamp_us = rd64(&k);
        break;
    default:
        return 0; /* an event type this library does not know: skip it */
    }
    if (k.bad) {
        c->broken = 1;
        return fail(c, EPROTO, "paneld sent a short event 0x%04x", f->type);
    }
    ev.session = find_session(c, ev.session_handle);
    if (ev.session && f->type == PANELD_EV_UNPLUGGED) ev.session->unplugged = 1;
    if (ev.session && f->type == PANELD_EV_OWNERSHIP) ev.session->owner = ev.owner != 0;
    if (c->ev_count == EVENT_QUEUE) { /* full: drop the oldest */
        c->ev_head = (c->ev_head + 1) % EVENT_QUEUE;
        c->ev_count--;
    }
    c->events[(c->ev_head + c->ev_count) % EVENT_QUEUE] = ev;
    c->ev_count++;
    return 0;
}

static struct pending *pending_of(paneld_client *c, uint32_t id) {
    for (int i = 0; i < PANELD_MAX_IN_FLIGHT; i++) {
        struct pending *p = &c->pending[i];
        if (p->used && p->left > 0 && id - p->first <= p->last - p->first) return p;
    }
    return NULL;
}

/* an answer to a request of a flush_async group: count it, keep its error */
static void record_answer(paneld_client *c, const frame *f) {
    struct pending *p = pending_of(c, f->id);
    if (!p) return; /* an answer nobody waits for */
    p->left--;
    if (f->type == T_ERROR && p->result == 0) {
        cursor k = {f->p, f->n, 0, 0};
        uint32_t code = rd32(&k);
        rd16(&k);
        rd16(&k);
        rdstr(&k, p->msg, sizeof p->msg);
        p->result = -errno_of(code);
    }
}

/*
 * Reads frames until the answer to request id; events on the way are queued, answers to other
 * (abandoned) ids dropped. Returns 0 with *f the reply (its payload valid until the next read),
 * or the ERROR as a negative errno with the daemon's message.
 */
static int wait_reply(paneld_client *c, uint32_t id, uint16_t type, frame *f) {
    for (;;) {
        int e = read_frame(c, f);
        if (e < 0) return e;
        if (f->id == 0) {
            e = take_event(c, f);
            if (e < 0) return e;
            continue;
        }
        if (f->id != id) {
            record_answer(c, f);
            continue;
        }
        if (f->type == T_ERROR) {
            cursor k = {f->p, f->n, 0, 0};
            uint32_t code = rd32(&k);
            rd16(&k);
            rd16(&k);
            char m[200];
            rdstr(&k, m, sizeof m);
            e = errno_of(code);
            if (e == EPROTO || e == EMSGSIZE) c->broken = 1;
            return fail(c, e, "%s", m);
        }
        if (f->type != (type | T_REPLY)) {
            c->broken = 1;
            return fail(c, EPROTO, "paneld answered request 0x%04x with type 0x%04x", type, f->type);
        }
        return 0;
    }
}

static int request(paneld_client *c, uint16_t type, const void *p, size_t n, frame *f) {
    long id = send_frame(c, type, p, n);
    if (id < 0) return (int) id;
    frame tmp;
    return wait_reply(c, (uint32_t) id, type, f ? f : &tmp);
}

static int request_u32(paneld_client *c, uint16_t type, uint32_t v) {
    unsigned char p[4];
    put32(p, v);
    return request(c, type, p, 4, NULL);
}

static int request_str(paneld_client *c, uint16_t type, const char *s, frame *f) {
    size_t len = strlen(s);
    if (len > 0xFFFF) return fail(c, EINVAL, "name of %zu bytes is too long", len);
    unsigned char *p = scratch(c, 2 + len);
    if (!p) return fail(c, ENOMEM, "out of memory");
    put16(p, (uint16_t) len);
    memcpy(p + 2, s, len);
    return request(c, type, p, 2 + len, f);
}

/* ------------------------------------------------------------------ connecting */

static int path_exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

static void per_user(char *dst, size_t cap) {
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    struct stat st;
    if (xdg && *xdg && stat(xdg, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(dst, cap, "%s/paneld.sock", xdg);
        return;
    }
    const char *user = getenv("USER");
    if (!user || !*user) {
        struct passwd *pw = getpwuid(getuid());
        user = pw ? pw->pw_name : "user";
    }
    snprintf(dst, cap, "/tmp/paneld-%s/paneld.sock", user);
}

/* the socket panelctl would use (DefaultSocket.forClient) */
static void default_socket(char *dst, size_t cap) {
    const char *env = getenv("PANELD_SOCKET");
    if (env && *env) {
        snprintf(dst, cap, "%s", env);
        return;
    }
    if (path_exists("/run/paneld/paneld.sock")) {
        snprintf(dst, cap, "/run/paneld/paneld.sock");
        return;
    }
    per_user(dst, cap);
    if (path_exists(dst)) return;
    struct stat st; /* neither exists: where a daemon would listen */
    int run_ok = stat("/run/paneld", &st) == 0 ? (S_ISDIR(st.st_mode) && access("/run/paneld", W_OK) == 0)
                                               : access("/run", W_OK) == 0;
    if (run_ok) snprintf(dst, cap, "/run/paneld/paneld.sock");
}

static int open_socket(const char *path, int *tcp) {
    if (strncmp(path, "tcp:", 4) == 0) {
        char host[256];
        const char *hp = path + 4;
        const char *colon = strrchr(hp, ':');
        if (!colon || colon == hp || (size_t) (colon - hp) >= sizeof host) {
            return fail(NULL, EINVAL, "'%s': expected tcp:HOST:PORT", path);
        }
        memcpy(host, hp, (size_t) (colon - hp));
        host[colon - hp] = 0;
        if (host[0] == '[' && host[strlen(host) - 1] == ']') { /* [::1] */
            memmove(host, host + 1, strlen(host));
            host[strlen(host) - 1] = 0;
        }
        struct addrinfo hints, *res = NULL;
        memset(&hints, 0, sizeof hints);
        hints.ai_socktype = SOCK_STREAM;
        int g = getaddrinfo(host, colon + 1, &hints, &res);
        if (g != 0) return fail(NULL, EINVAL, "%s: %s", path, gai_strerror(g));
        int e = ECONNREFUSED;
        for (struct addrinfo *a = res; a; a = a->ai_next) {
            int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
            if (fd < 0) { e = errno; continue; }
            if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
                freeaddrinfo(res);
                *tcp = 1;
                return fd;
            }
            e = errno;
            close(fd);
        }
        freeaddrinfo(res);
        return fail(NULL, e, "connecting to %s: %s", path, strerror(e));
    }
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa.sun_path) {
        return fail(NULL, ENAMETOOLONG, "socket path '%s' is longer than %zu bytes", path, sizeof sa.sun_path - 1);
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail(NULL, errno, "socket: %s", strerror(errno));
    if (connect(fd, (struct sockaddr *) &sa, sizeof sa) != 0) {
        int e = errno;
        close(fd);
        return fail(NULL, e, "connecting to %s: %s%s", path, strerror(e),
                    e == ENOENT || e == ECONNREFUSED ? " (is paneld running? set PANELD_SOCKET or pass the path)" : "");
    }
    *tcp = 0;
    return fd;
}

paneld_client *paneld_connect(const char *path) {
    char def[256];
    if (!path) {
        default_socket(def, sizeof def);
        path = def;
    }
    int tcp = 0;
    int fd = open_socket(path, &tcp);
    if (fd < 0) {
        errno = -fd;
        return NULL;
    }
    paneld_client *c = calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        fail(NULL, ENOMEM, "out of memory");
        errno = ENOMEM;
        return NULL;
    }
    c->fd = fd;
    c->tcp = tcp;
    c->next_id = 1;
    static const char name[] = "libpaneld " PANELD_VERSION;
    unsigned char p[14 + sizeof name - 1];
    put32(p, MAGIC);
    put16(p + 4, 1);
    put16(p + 6, 1);
    put32(p + 8, tcp ? 0 : 1); /* WANT_FD on a Unix socket */
    put16(p + 12, (uint16_t) (sizeof name - 1));
    memcpy(p + 14, name, sizeof name - 1);
    frame f;
    int e = request(c, T_HELLO, p, sizeof p, &f);
    if (e == 0) {
        cursor k = {f.p, f.n, 0, 0};
        uint16_t version = rd16(&k);
        rd16(&k);
        c->server_flags = rd32(&k);
        c->max_frame = rd32(&k);
        c->max_rects = rd32(&k);
        if (k.bad || version != 1) e = fail(c, EPROTO, "paneld's HELLO reply is short or names version %u", version);
    }
    if (e < 0) {
        fail(NULL, -e, "HELLO to %s: %s", path, c->msg);
        paneld_disconnect(c);
        errno = -e;
        return NULL;
    }
    if (c->max_frame < 64) c->max_frame = 64;
    return c;
}

static void free_buffer_memory(paneld_buffer *b) {
    if (b->shared) {
        if (b->pixels && b->size) munmap(b->pixels, b->size);
    } else {
        free(b->pixels);
    }
    free(b);
}

static void free_session(paneld_session *s) {
    paneld_buffer *b = s->buffers;
    while (b) {
        paneld_buffer *n = b->next;
        free_buffer_memory(b);
        b = n;
    }
    free(s);
}

void paneld_disconnect(paneld_client *c) {
    if (!c) return;
    paneld_session *s = c->sessions;
    while (s) {
        paneld_session *n = s->next;
        free_session(s);
        s = n;
    }
    if (c->fd >= 0) close(c->fd);
    free(c->payload);
    free(c->wbuf);
    free(c);
}

int paneld_fd(const paneld_client *c) { return c->fd; }
int paneld_can_share(const paneld_client *c) { return (c->server_flags & 1u) != 0; }
int paneld_is_admin(const paneld_client *c) { return (c->server_flags & 2u) != 0; }

/* ------------------------------------------------------------------ devices, sessions */

int paneld_list(paneld_client *c, paneld_device *out, int max) {
    frame f;
    int e = request(c, T_LIST, NULL, 0, &f);
    if (e < 0) return e;
    cursor k = {f.p, f.n, 0, 0};
    uint32_t count = rd32(&k);
    for (uint32_t i = 0; i < count && !k.bad; i++) {
        paneld_device d;
        rdstr(&k, d.name, sizeof d.name);
        rdstr(&k, d.driver, sizeof d.driver);
        d.width = rd32(&k);
        d.height = rd32(&k);
        d.flags = rd32(&k);
        if (out && (int) i < max && !k.bad) out[i] = d;
    }
    if (k.bad || count > 0x7FFFFFFF) return fail(c, EPROTO, "paneld's device list is short");
    return (int) count;
}

int paneld_device_info(paneld_client *c, const char *name, paneld_info *out) {
    size_t len = strlen(name);
    if (len > 0xFFFF) return fail(c, EINVAL, "device name of %zu bytes", len);
    unsigned char *p = scratch(c, 6 + len);
    if (!p) return fail(c, ENOMEM, "out of memory");
    put32(p, 0); /* by name */
    put16(p + 4, (uint16_t) len);
    memcpy(p + 6, name, len);
    frame f;
    int e = request(c, T_INFO, p, 6 + len, &f);
    if (e < 0) return e;
    paneld_info in;
    memset(&in, 0, sizeof in);
    cursor k = {f.p, f.n, 0, 0};
    rdstr(&k, in.name, sizeof in.name);
    rdstr(&k, in.driver, sizeof in.driver);
    in.width = rd32(&k);
    in.height = rd32(&k);
    in.width_mm = rd32(&k);
    in.height_mm = rd32(&k);
    in.rotation = rd32(&k);
    in.flags = rd32(&k);
    rdstr(&k, in.panel_format, sizeof in.panel_format);
    rdstr(&k, in.update_class, sizeof in.update_class);
    in.format_count = rd16(&k);
    for (int i = 0; i < in.format_count && !k.bad; i++) {
        uint32_t fmt = rd32(&k);
        if (i < 16) in.formats[i] = fmt;
    }
    in.property_count = rd16(&k);
    for (int i = 0; i < in.property_count && !k.bad; i++) {
        paneld_property pr;
        rdstr(&k, pr.name, sizeof pr.name);
        pr.min = (int64_t) rd64(&k);
        pr.max = (int64_t) rd64(&k);
        pr.value = (int64_t) rd64(&k);
        if (i < 16) in.properties[i] = pr;
    }
    if (k.bad) return fail(c, EPROTO, "paneld's DEVICE_INFO reply for %s is short", name);
    *out = in;
    return 0;
}

paneld_session *paneld_open(paneld_client *c, const char *name, unsigned flags) {
    if (!c) { /* paneld_open(paneld_connect(...), ...) after a failed connect: keep its errno and message */
        if (!errno) errno = ENOTCONN;
        return NULL;
    }
    size_t len = strlen(name);
    if (len > 0xFFFF) {
        errno = EINVAL;
        fail(c, EINVAL, "device name of %zu bytes", len);
        return NULL;
    }
    unsigned char *p = scratch(c, 6 + len);
    if (!p) {
        errno = ENOMEM;
        fail(c, ENOMEM, "out of memory");
        return NULL;
    }
    put32(p, flags & PANELD_OPEN_OWNER);
    put16(p + 4, (uint16_t) len);
    memcpy(p + 6, name, len);
    frame f;
    int e = request(c, T_OPEN, p, 6 + len, &f);
    if (e < 0) {
        errno = -e;
        return NULL;
    }
    cursor k = {f.p, f.n, 0, 0};
    uint32_t handle = rd32(&k), fl = rd32(&k), w = rd32(&k), h = rd32(&k);
    if (k.bad) {
        errno = EPROTO;
        fail(c, EPROTO, "paneld's OPEN reply is short");
        return NULL;
    }
    paneld_session *s = calloc(1, sizeof *s);
    if (!s) { /* the daemon has a session we cannot track: close it */
        request_u32(c, T_CLOSE, handle);
        errno = ENOMEM;
        fail(c, ENOMEM, "out of memory");
        return NULL;
    }
    s->client = c;
    s->handle = handle;
    s->owner = (fl & 1u) != 0;
    s->width = w;
    s->height = h;
    snprintf(s->device, sizeof s->device, "%s", name);
    s->next = c->sessions;
    c->sessions = s;
    return s;
}

int paneld_close(paneld_session *s) {
    paneld_client *c = s->client;
    int e = request_u32(c, T_CLOSE, s->handle);
    for (paneld_session **pp = &c->sessions; *pp; pp = &(*pp)->next) {
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    }
    free_session(s);
    return e;
}

/* ------------------------------------------------------------------ buffers */

/* steps 3-5 of the exchange (PROTOCOL.md section 7): FD_READY, the fd, FD_RECEIVED */
static int receive_fd(paneld_client *c, uint32_t buffer, int *fd_out) {
    unsigned char p[4];
    put32(p, buffer);
    if (c->rpos != c->rlen) { /* the daemon sends nothing after the reply: bytes here are out of step */
        c->broken = 1;
        return fail(c, EPROTO, "bytes arrived after the CREATE_BUFFER reply, before the fd");
    }
    long id = send_frame(c, T_FD_READY, p, 4);
    if (id < 0) return (int) id;
    unsigned char byte;
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(int) * 4)];
    } ctl;
    struct iovec iov = {&byte, 1};
    struct msghdr m;
    int fd = -1;
    for (;;) {
        memset(&m, 0, sizeof m);
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = ctl.space;
        m.msg_controllen = sizeof ctl.space;
        ssize_t r = recvmsg(c->fd, &m, MSG_CMSG_CLOEXEC);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            c->broken = 1;
            return r == 0 ? fail(c, ECONNRESET, "paneld closed the connection during the fd exchange")
                          : fail(c, errno, "receiving the buffer's fd: %s", strerror(errno));
        }
        break;
    }
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
        if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
            size_t nfd = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            int fds[4];
            memcpy(fds, CMSG_DATA(h), nfd * sizeof(int));
            for (size_t i = 0; i < nfd; i++) {
                if (fd < 0) fd = fds[i];
                else close(fds[i]);
            }
        }
    }
    if (fd < 0) {
        c->broken = 1;
        return fail(c, EPROTO, "paneld's fd message carried no descriptor%s",
                    (m.msg_flags & MSG_CTRUNC) ? " (control data truncated)" : "");
    }
    *fd_out = fd;
    (void) id; /* FD_READY has no reply frame */
    return 0;
}

paneld_buffer *paneld_buffer_create(paneld_session *s, uint32_t width, uint32_t height, uint32_t format, int shared) {
    paneld_client *c = s->client;
    int share = shared && paneld_can_share(c);
    unsigned char p[20];
    put32(p, s->handle);
    put32(p + 4, width);
    put32(p + 8, height);
    put32(p + 12, format);
    put32(p + 16, share ? 1u : 0u);
    frame f;
    int e = request(c, T_CREATE, p, sizeof p, &f);
    if (e < 0) {
        errno = -e;
        return NULL;
    }
    cursor k = {f.p, f.n, 0, 0};
    uint32_t handle = rd32(&k), stride = rd32(&k);
    uint64_t size = rd64(&k);
    uint32_t fl = rd32(&k);
    if (k.bad || size > (uint64_t) SIZE_MAX || (share && !(fl & 1u))) {
        c->broken = 1;
        errno = EPROTO;
        fail(c, EPROTO, "paneld's CREATE_BUFFER reply is short or lacks FD_FOLLOWS");
        return NULL;
    }
    paneld_buffer *b = calloc(1, sizeof *b);
    void *mem = NULL;
    int err = 0;
    if (share) { /* the exchange must complete even when something fails here */
        int fd = -1;
        e = receive_fd(c, handle, &fd);
        if (e < 0) {
            free(b);
            errno = -e;
            return NULL;
        }
        mem = mmap(NULL, (size_t) size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (mem == MAP_FAILED) {
            err = errno;
            mem = NULL;
        }
        close(fd);
        unsigned char q[4];
        put32(q, handle);
        e = request(c, T_FD_RECEIVED, q, 4, NULL);
        if (e < 0 || !b) {
            if (mem) munmap(mem, (size_t) size);
            mem = NULL;
        }
        if (e < 0) {
            free(b);
            errno = -e;
            return NULL;
        }
    } else if (b) {
        mem = calloc(1, (size_t) size ? (size_t) size : 1);
        if (!mem) err = ENOMEM;
    }
    if (!b || !mem) {
        free(b);
        unsigned char q[8];
        put32(q, s->handle);
        put32(q + 4, handle);
        request(c, T_DESTROY, q, 8, NULL);
        err = err ? err : ENOMEM;
        fail(c, err, "%s of a %ux%u buffer: %s", share ? "mmap" : "allocation", width, height, strerror(err));
        errno = err;
        return NULL;
    }
    b->pixels = mem;
    b->width = width;
    b->height = height;
    b->stride = stride;
    b->format = format;
    b->size = (size_t) size;
    b->shared = share;
    b->handle = handle;
    b->session = s;
    b->next = s->buffers;
    s->buffers = b;
    return b;
}

int paneld_buffer_destroy(paneld_buffer *b) {
    paneld_session *s = b->session;
    unsigned char q[8];
    put32(q, s->handle);
    put32(q + 4, b->handle);
    int e = request(s->client, T_DESTROY, q, 8, NULL);
    for (paneld_buffer **pp = &s->buffers; *pp; pp = &(*pp)->next) {
        if (*pp == b) {
            *pp = b->next;
            break;
        }
    }
    free_buffer_memory(b);
    return e;
}

static int rect_inside(const paneld_buffer *b, const paneld_rect *r) {
    return r->width > 0 && r->height > 0 && r->x >= 0 && r->y >= 0 && (int64_t) r->x + r->width <= (int64_t) b->width
           && (int64_t) r->y + r->height <= (int64_t) b->height;
}

/* WRITE of one rectangle of an inline buffer, split into frames under max_frame; returns the last id */
static long write_rect(paneld_client *c, paneld_session *s, paneld_buffer *b, const paneld_rect *r, uint32_t *first_id) {
    size_t bpp = b->format == PANELD_FORMAT_RGB565 ? 2 : 4;
    size_t row = (size_t) r->width * bpp;
    size_t room = c->max_frame - 8 - 28;
    if (row > room) return fail(c, EINVAL, "a row of %zu bytes does not fit paneld's max_frame %u", row, c->max_frame);
    size_t rows_per = room / row;
    long id = 0;
    for (int32_t y = 0; y < r->height;) {
        int32_t h = (int32_t) (rows_per < (size_t) (r->height - y) ? rows_per : (size_t) (r->height - y));
        size_t len = row * (size_t) h;
        unsigned char *p = scratch(c, 28 + len);
        if (!p) return fail(c, ENOMEM, "out of memory for a WRITE of %zu bytes", len);
        put32(p, s->handle);
        put32(p + 4, b->handle);
        put32(p + 8, (uint32_t) r->x);
        put32(p + 12, (uint32_t) (r->y + y));
        put32(p + 16, (uint32_t) r->width);
        put32(p + 20, (uint32_t) h);
        put32(p + 24, (uint32_t) len);
        for (int32_t i = 0; i < h; i++) {
            memcpy(p + 28 + (size_t) i * row, (const unsigned char *) b->pixels + (size_t) (r->y + y + i) * b->stride
                   + (size_t) r->x * bpp, row);
        }
        id = send_frame(c, T_WRITE, p, 28 + len);
        if (id < 0) return id;
        if (*first_id == 0) *first_id = (uint32_t) id;
        y += h;
    }
    return id;
}

long paneld_flush_async(paneld_session *s, paneld_buffer *b, const paneld_rect *rects, int n) {
    paneld_client *c = s->client;
    if (n < 1 || (c->max_rects && (uint32_t) n > c->max_rects)) {
        return fail(c, EINVAL, "FLUSH of %d rectangles: 1..%u allowed", n, c->max_rects);
    }
    struct pending *p = NULL;
    for (int i = 0; i < PANELD_MAX_IN_FLIGHT && !p; i++) {
        if (!c->pending[i].used) p = &c->pending[i];
    }
    if (!p) return fail(c, EAGAIN, "%d flushes in flight already: paneld_wait for one first", PANELD_MAX_IN_FLIGHT);
    uint32_t first = 0;
    uint32_t writes = 0;
    if (!b->shared) { /* pipelined: every WRITE, then the FLUSH; answers come in that order */
        for (int i = 0; i < n; i++) {
            if (!rect_inside(b, &rects[i])) {
                return fail(c, EINVAL, "FLUSH rectangle %d %dx%d+%d+%d is outside the %ux%u buffer", i, rects[i].width,
                            rects[i].height, rects[i].x, rects[i].y, b->width, b->height);
            }
        }
        for (int i = 0; i < n; i++) {
            uint32_t before = c->next_id;
            long id = write_rect(c, s, b, &rects[i], &first);
            if (id < 0) return (int) id; /* the connection broke: nothing more will come */
            writes += (uint32_t) id - before + 1;
        }
    }
    size_t len = 12 + (size_t) n * 16;
    unsigned char *q = scratch(c, len);
    if (!q) return fail(c, ENOMEM, "out of memory");
    put32(q, s->handle);
    put32(q + 4, b->handle);
    put32(q + 8, (uint32_t) n);
    for (int i = 0; i < n; i++) {
        put32(q + 12 + i * 16, (uint32_t) rects[i].x);
        put32(q + 16 + i * 16, (uint32_t) rects[i].y);
        put32(q + 20 + i * 16, (uint32_t) rects[i].width);
        put32(q + 24 + i * 16, (uint32_t) rects[i].height);
    }
    long fid = send_frame(c, T_FLUSH, q, len);
    if (fid < 0) return fid;
    p->first = first ? first : (uint32_t) fid;
    p->last = (uint32_t) fid;
    p->left = writes + 1;
    p->used = 1;
    p->result = 0;
    p->msg[0] = 0;
    return (long) p->first;
}

int paneld_wait(paneld_client *c, long ticket) {
    struct pending *p = NULL;
    for (int i = 0; i < PANELD_MAX_IN_FLIGHT && !p; i++) {
        if (c->pending[i].used && (long) c->pending[i].first == ticket) p = &c->pending[i];
    }
    if (!p) return fail(c, EINVAL, "no flush in flight with ticket %ld (already waited for?)", ticket);
    while (p->left > 0) {
        frame f;
        int e = read_frame(c, &f);
        if (e < 0) {
            p->used = 0;
            return e;
        }
        if (f.id == 0) {
            e = take_event(c, &f);
            if (e < 0) {
                p->used = 0;
                return e;
            }
        } else {
            record_answer(c, &f);
        }
    }
    p->used = 0;
    if (p->result < 0) return fail(c, -p->result, "%s", p->msg);
    return 0;
}

int paneld_flush(paneld_session *s, paneld_buffer *b, const paneld_rect *rects, int n) {
    long t = paneld_flush_async(s, b, rects, n);
    return t < 0 ? (int) t : paneld_wait(s->client, t);
}

int paneld_flip(paneld_session *s, paneld_buffer *b, int wait) {
    paneld_client *c = s->client;
    if (!b->shared) {
        paneld_rect all = {0, 0, (int32_t) b->width, (int32_t) b->height};
        uint32_t first = 0;
        long last = write_rect(c, s, b, &all, &first);
        if (last < 0) return (int) last;
        frame f;
        for (uint32_t id = first;; id = id + 1 ? id + 1 : 1) {
            int e = wait_reply(c, id, T_WRITE, &f);
            if (e < 0) return e;
            if (id == (uint32_t) last) break;
        }
    }
    unsigned char p[8];
    put32(p, s->handle);
    put32(p + 4, b->handle);
    long id = send_frame(c, T_FLIP, p, 8);
    if (id < 0) return (int) id;
    frame f;
    int e = wait_reply(c, (uint32_t) id, T_FLIP, &f);
    if (e < 0 || !wait) return e;
    for (;;) { /* look in the queue for its FLIP_COMPLETE, read more until it comes */
        for (int i = 0; i < c->ev_count; i++) {
            int at = (c->ev_head + i) % EVENT_QUEUE;
            paneld_event ev = c->events[at];
            if (ev.type == PANELD_EV_FLIP_COMPLETE && ev.flip_id == (uint32_t) id) {
                for (int j = i; j > 0; j--) { /* take it out, keep the others in order */
                    c->events[(c->ev_head + j) % EVENT_QUEUE] = c->events[(c->ev_head + j - 1) % EVENT_QUEUE];
                }
                c->ev_head = (c->ev_head + 1) % EVENT_QUEUE;
                c->ev_count--;
                return ev.error ? fail(c, -ev.error, "FLIP of buffer %u failed: %s", b->handle,
                                       paneld_strerror(ev.error)) : 0;
            }
        }
        e = read_frame(c, &f);
        if (e < 0) return e;
        if (f.id == 0) {
            e = take_event(c, &f);
            if (e < 0) return e;
        } else {
            record_answer(c, &f);
        }
    }
}

/* ------------------------------------------------------------------ properties, ownership, events */

int paneld_set_property(paneld_session *s, const char *name, int64_t value) {
    paneld_client *c = s->client;
    size_t len = strlen(name);
    if (len > 0xFFFF) return fail(c, EINVAL, "property name of %zu bytes", len);
    unsigned char *p = scratch(c, 14 + len);
    if (!p) return fail(c, ENOMEM, "out of memory");
    put32(p, s->handle);
    put64(p + 4, (uint64_t) value);
    put16(p + 12, (uint16_t) len);
    memcpy(p + 14, name, len);
    return request(c, T_SETPROP, p, 14 + len, NULL);
}

int paneld_acquire(paneld_session *s) {
    int e = request_u32(s->client, T_ACQUIRE, s->handle);
    if (e == 0) s->owner = 1;
    return e;
}

int paneld_release(paneld_session *s) {
    int e = request_u32(s->client, T_RELEASE, s->handle);
    if (e == 0) s->owner = 0;
    return e;
}

int paneld_subscribe(paneld_client *c, unsigned mask) {
    unsigned known = PANELD_SUB_DEVICE_ADDED | PANELD_SUB_DEVICE_REMOVED | PANELD_SUB_TOUCH | PANELD_SUB_TOUCH_OBSERVE;
    int e = request_u32(c, T_SUBSCRIBE, mask & known);
    if (e == 0 && (mask & (PANELD_SUB_TOUCH | PANELD_SUB_TOUCH_OBSERVE))) c->touch_abi = 1;
    return e;
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int paneld_next_event(paneld_client *c, paneld_event *ev, int timeout_ms) {
    long long end = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
    for (;;) {
        if (c->ev_count > 0) {
            /* a 1.0 program's paneld_event ends before touch: never write past it */
            memcpy(ev, &c->events[c->ev_head], c->touch_abi ? sizeof *ev : offsetof(paneld_event, touch));
            c->ev_head = (c->ev_head + 1) % EVENT_QUEUE;
            c->ev_count--;
            return 1;
        }
        if (c->broken) return fail(c, ECONNRESET, "the connection to paneld is closed: %s", c->msg);
        if (c->rpos == c->rlen) { /* nothing buffered: wait for the socket */
            int wait = timeout_ms < 0 ? -1 : timeout_ms == 0 ? 0 : (int) (end - now_ms());
            if (timeout_ms > 0 && wait <= 0) return 0;
            struct pollfd pfd = {c->fd, POLLIN, 0};
            int r = poll(&pfd, 1, wait);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) return fail(c, errno, "poll: %s", strerror(errno));
            if (r == 0) return 0;
        }
        frame f;
        int e = read_frame(c, &f);
        if (e < 0) return e;
        if (f.id == 0) {
            e = take_event(c, &f);
            release_payload(c);
            if (e < 0) return e;
        } else {
            record_answer(c, &f);
        }
    }
}

/* ------------------------------------------------------------------ admin */

int paneld_admin_unplug(paneld_client *c, const char *device) { return request_str(c, T_ADMIN_UNPLUG, device, NULL); }
int paneld_admin_replug(paneld_client *c, const char *device) { return request_str(c, T_ADMIN_REPLUG, device, NULL); }
int paneld_admin_unbind(paneld_client *c, const char *device) { return request_str(c, T_ADMIN_UNBIND, device, NULL); }
int paneld_admin_bind(paneld_client *c, const char *device) { return request_str(c, T_ADMIN_BIND, device, NULL); }

int paneld_admin_touch(paneld_client *c, const char *device, unsigned action, int32_t x, int32_t y) {
    if (!device) return fail(c, EINVAL, "ADMIN_TOUCH: no device named");
    if (action != PANELD_TOUCH_PRESS && action != PANELD_TOUCH_RELEASE) {
        return fail(c, EINVAL, "ADMIN_TOUCH on %s: action %u is unknown (PANELD_TOUCH_PRESS 0, PANELD_TOUCH_RELEASE 1)", device, action);
    }
    if (action == PANELD_TOUCH_PRESS && (x < 0 || y < 0)) {
        return fail(c, EINVAL, "ADMIN_TOUCH on %s: press at (%d, %d) is outside the display", device, (int) x, (int) y);
    }
    size_t len = strlen(device);
    if (len > 0xFFFF) return fail(c, EINVAL, "device name of %zu bytes is too long", len);
    unsigned char *p = scratch(c, 14 + len);
    if (!p) return fail(c, ENOMEM, "out of memory");
    put16(p, (uint16_t) len);
    memcpy(p + 2, device, len);
    put32(p + 2 + len, action);
    put32(p + 6 + len, action == PANELD_TOUCH_PRESS ? (uint32_t) x : 0u);
    put32(p + 10 + len, action == PANELD_TOUCH_PRESS ? (uint32_t) y : 0u);
    return request(c, T_ADMIN_TOUCH, p, 14 + len, NULL);
}

int paneld_admin_calibrate(paneld_client *c, const char *device, const int64_t cal[7]) {
    if (!device || !cal) return fail(c, EINVAL, "ADMIN_CALIBRATE: %s is NULL", device ? "the calibration" : "the device");
    if (cal[6] <= 0) {
        return fail(c, EINVAL, "ADMIN_CALIBRATE on %s: scale (cal[6]) must be positive, got %lld", device, (long long) cal[6]);
    }
    size_t len = strlen(device);
    if (len > 0xFFFF) return fail(c, EINVAL, "device name of %zu bytes is too long", len);
    unsigned char *p = scratch(c, 2 + len + 56);
    if (!p) return fail(c, ENOMEM, "out of memory");
    put16(p, (uint16_t) len);
    memcpy(p + 2, device, len);
    for (int i = 0; i < 7; i++) put64(p + 2 + len + 8 * (size_t) i, (uint64_t) cal[i]);
    return request(c, T_ADMIN_CALIBRATE, p, 2 + len + 56, NULL);
}

int paneld_snapshot(paneld_client *c, const char *device, uint32_t **pixels, uint32_t *width, uint32_t *height) {
    frame f;
    int e = request_str(c, T_ADMIN_SNAPSHOT, device, &f);
    if (e < 0) return e;
    cursor k = {f.p, f.n, 0, 0};
    uint32_t w = rd32(&k), h = rd32(&k);
    if (k.bad || (uint64_t) w * h * 4 != f.n - 8) {
        release_payload(c);
        return fail(c, EPROTO, "paneld's snapshot of %s is %zu bytes for %ux%u", device, f.n, w, h);
    }
    uint32_t *px = malloc((size_t) w * h * 4 + 1);
    if (!px) {
        release_payload(c);
        return fail(c, ENOMEM, "out of memory for a %ux%u snapshot", w, h);
    }
    for (size_t i = 0; i < (size_t) w * h; i++) px[i] = get32(f.p + 8 + i * 4);
    release_payload(c);
    *pixels = px;
    *width = w;
    *height = h;
    return 0;
}
